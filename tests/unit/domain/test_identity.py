"""One identity for a finding: the keys and fingerprints every part uses."""

from __future__ import annotations

from compliance_opa.domain.changes import PriorFinding
from compliance_opa.domain.findings import Status
from compliance_opa.domain.identity import (
    FindingKey,
    dedup_key,
    finding_fingerprint,
    key_of,
    sarif_fingerprint,
)
from tests.report_builder import check, finding

RDS = check("AWS-RDS-001")
DB = "arn:aws:rds:eu-west-1:123456789012:db:orders"


def test_the_key_is_check_and_resource_whatever_the_status_or_message() -> None:
    failing = finding(RDS, DB, message="port 22 open")
    other = finding(RDS, DB, Status.INDETERMINATE, message="ports unknown")
    assert key_of(failing) == key_of(other) == FindingKey("AWS-RDS-001", DB)
    assert PriorFinding("AWS-RDS-001", DB, "fail", "high", 50, "x").key == key_of(failing)


def test_sarif_follows_the_key_and_a_baseline_adds_the_status() -> None:
    failing = finding(RDS, DB, message="a")
    reworded = finding(RDS, DB, message="b")
    indeterminate = finding(RDS, DB, Status.INDETERMINATE)
    assert sarif_fingerprint(failing) == sarif_fingerprint(reworded)
    assert sarif_fingerprint(failing) == sarif_fingerprint(indeterminate)
    assert finding_fingerprint(failing) == finding_fingerprint(reworded)
    assert finding_fingerprint(failing) != finding_fingerprint(indeterminate)


def test_fingerprints_are_stable_values() -> None:
    # Stored in baselines, SARIF uploads and receivers' dedup tables, so they never change:
    # these are the values the code gave before it moved into this module.
    failing = finding(RDS, DB)
    assert finding_fingerprint(failing) == "c9d08b1eb1a113c5481b"
    assert sarif_fingerprint(failing) == "96918385a94cab179f6027ba6784f4ef"
    assert (
        dedup_key("production", "AWS-RDS-001", DB) == "opa-comply-88d5f324cbbad78a8e7722eeb28e2c7e"
    )
    assert dedup_key("production", "AWS-RDS-001", DB) != dedup_key("staging", "AWS-RDS-001", DB)
