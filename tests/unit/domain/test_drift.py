"""Drift between two scans: new, changed, persisting, resolved, and never resolved by a gap."""

from __future__ import annotations

from compliance_opa.domain.changes import PriorFinding
from compliance_opa.domain.drift import compare_scans
from compliance_opa.domain.findings import Status
from tests.report_builder import check, finding, report

RDS = check("AWS-RDS-001")
DB1, DB2, DB3 = "arn:db:one", "arn:db:two", "arn:db:three"


def prior(
    resource: str, status: str = "fail", message: str = "bad", source: str | None = None
) -> PriorFinding:
    return PriorFinding("AWS-RDS-001", resource, status, "high", 50, message, source=source)


def test_first_scan_makes_everything_new() -> None:
    drift = compare_scans(report({"AWS-RDS-001": [DB1]}, [finding(RDS, DB1)]), None)
    assert drift.previous_scan is None
    assert [f.resource for f in drift.new] == [DB1]
    assert not drift.resolved
    assert not drift.persisting
    assert not drift.unverified


def test_new_persisting_changed_and_resolved_when_evaluated_again() -> None:
    previous = [prior(DB1), prior(DB2), prior("arn:db:fixed")]
    now = report(
        {"AWS-RDS-001": [DB1, DB2, DB3, "arn:db:fixed"]},
        [finding(RDS, DB1), finding(RDS, DB2, message="worse"), finding(RDS, DB3)],
    )
    drift = compare_scans(now, previous, "scan-1")
    assert [f.resource for f in drift.new] == [DB3]
    assert [f.resource for f in drift.changed] == [DB2]
    assert [f.resource for f in drift.persisting] == [DB1]
    assert [p.resource for p in drift.resolved] == ["arn:db:fixed"]
    assert drift.unverified == ()


def test_a_status_change_is_a_change_and_indeterminate_is_not_resolved() -> None:
    now = report({"AWS-RDS-001": [DB1]}, [finding(RDS, DB1, Status.INDETERMINATE)])
    drift = compare_scans(now, [prior(DB1)], "scan-1")
    assert [f.resource for f in drift.changed] == [DB1]
    assert drift.resolved == ()


def test_a_resource_gone_from_a_complete_source_is_resolved() -> None:
    now = report({"AWS-RDS-001": [DB1]}, [], complete=["111/rds/eu-west-1"])
    drift = compare_scans(now, [prior(DB2, source="111/rds/eu-west-1")], "scan-1")
    assert [p.resource for p in drift.resolved] == [DB2]


def test_a_coverage_gap_never_resolves() -> None:
    # The source DB2 came from failed this time: it is not gone, just not looked at.
    now = report({"AWS-RDS-001": [DB1]}, [], complete=["111/s3/global"], gaps=["111/rds/eu-west-1"])
    drift = compare_scans(now, [prior(DB2, source="111/rds/eu-west-1")], "scan-1")
    assert drift.resolved == ()
    assert [p.resource for p in drift.unverified] == [DB2]


def test_a_source_not_collected_at_all_does_not_resolve() -> None:
    now = report({"AWS-RDS-001": [DB1]}, [], complete=["111/rds/us-east-1"])
    drift = compare_scans(now, [prior(DB2, source="111/rds/eu-west-1")], "scan-1")
    assert [p.resource for p in drift.unverified] == [DB2]


def test_without_a_known_source_any_gap_keeps_it_open() -> None:
    with_gap = report({"AWS-RDS-001": [DB1]}, [], gaps=["111/kms/eu-west-1"])
    assert [p.resource for p in compare_scans(with_gap, [prior(DB2)]).unverified] == [DB2]
    without_gap = report({"AWS-RDS-001": [DB1]}, [])
    assert [p.resource for p in compare_scans(without_gap, [prior(DB2)]).resolved] == [DB2]


def test_a_present_resource_the_check_did_not_judge_is_not_resolved() -> None:
    now = report({"AWS-RDS-001": [DB1]}, [], present=[DB1, DB2])
    drift = compare_scans(now, [prior(DB2)], "scan-1")
    assert [p.resource for p in drift.unverified] == [DB2]


def test_several_findings_of_one_check_on_one_resource_count_once() -> None:
    two = [finding(RDS, DB1, message="port 22 open"), finding(RDS, DB1, message="port 3389 open")]
    now = report({"AWS-RDS-001": [DB1]}, two)
    first = compare_scans(now, None)
    assert len(first.new) == 1
    assert first.new[0].message == "port 22 open; port 3389 open"
    again = compare_scans(now, [prior(DB1, message="port 22 open; port 3389 open")], "scan-1")
    assert [f.resource for f in again.persisting] == [DB1]
    assert again.changed == ()


def test_only_findings_that_start_failing_gate_a_drift_run() -> None:
    now = report(
        {"AWS-RDS-001": [DB1, DB2, DB3]},
        [finding(RDS, DB1, message="key is 96 days old"), finding(RDS, DB2), finding(RDS, DB3)],
    )
    previous = [prior(DB1, message="key is 95 days old"), prior(DB2, status="indeterminate")]
    drift = compare_scans(now, previous, "scan-1")
    assert sorted(f.resource for f in drift.changed) == [DB1, DB2]
    # DB1 only changed its wording: reported as changed, but it was failing already.
    assert sorted(f.resource for f in drift.newly_failing) == [DB3, DB2]
