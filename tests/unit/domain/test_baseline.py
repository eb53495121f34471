"""Baseline comparison: new, changed, unchanged, resolved, and never resolved by a gap."""

from __future__ import annotations

from pathlib import Path

from compliance_opa.domain.baseline import compare
from compliance_opa.domain.changes import Baseline, BaselineFinding, PriorFinding
from compliance_opa.domain.drift import compare_scans
from compliance_opa.domain.findings import Status
from compliance_opa.domain.identity import finding_fingerprint
from tests.report_builder import check, finding, report

RDS = check("AWS-RDS-001")
DB1, DB2, GONE = "arn:db:one", "arn:db:two", "arn:db:gone"


def baseline(*entries: tuple[str, str, str]) -> Baseline:
    findings = tuple(
        BaselineFinding("AWS-RDS-001", resource, status, "high", "t", message)
        for resource, status, message in entries
    )
    return Baseline(Path("baseline.json"), findings, {})


def test_new_changed_unchanged_and_resolved_when_looked_at_again() -> None:
    now = report(
        {"AWS-RDS-001": [DB1, DB2, "arn:db:fixed"]},
        [finding(RDS, DB1), finding(RDS, DB2, message="worse")],
    )
    before = baseline((DB2, "fail", "bad"), ("arn:db:fixed", "fail", "bad"))
    comparison = compare(now, before)
    assert [f.resource for f in comparison.new] == [DB1]
    assert [f.resource for f in comparison.changed] == [DB2]  # a message change gates
    assert comparison.unchanged == ()
    assert [f.resource for f in comparison.resolved] == ["arn:db:fixed"]
    assert comparison.unverified == ()
    assert [f.resource for f in comparison.gating] == [DB1, DB2]


def test_a_failure_gone_from_a_partial_collection_is_not_resolved() -> None:
    """The resource is missing from this scan and the collection had a gap: this scan did
    not look again, so the baseline's failure is unverified, as drift would say."""
    now = report({"AWS-RDS-001": [DB1]}, [], gaps=["123456789012/eu-west-1/rds"])
    comparison = compare(now, baseline((GONE, "fail", "bad")))
    assert comparison.resolved == ()
    assert [f.resource for f in comparison.unverified] == [GONE]
    drift = compare_scans(now, [PriorFinding("AWS-RDS-001", GONE, "fail", "high", 50, "bad")])
    assert [p.resource for p in drift.unverified] == [GONE]


def test_a_failure_gone_from_a_complete_collection_is_resolved() -> None:
    now = report({"AWS-RDS-001": [DB1]}, [])
    comparison = compare(now, baseline((GONE, "fail", "bad")))
    assert [f.resource for f in comparison.resolved] == [GONE]
    assert comparison.unverified == ()


def test_a_resource_no_check_judged_this_time_is_not_resolved() -> None:
    # Still in the inputs, but the check did not judge it (e.g. --framework left it out).
    now = report({"AWS-RDS-001": []}, [], present=[DB1])
    comparison = compare(now, baseline((DB1, "fail", "bad")))
    assert comparison.resolved == ()
    assert [f.resource for f in comparison.unverified] == [DB1]


def test_a_failure_now_indeterminate_is_neither_resolved_nor_unverified() -> None:
    now = report({"AWS-RDS-001": [DB1]}, [finding(RDS, DB1, Status.INDETERMINATE)])
    comparison = compare(now, baseline((DB1, "fail", "bad")))
    assert comparison.resolved == ()
    assert comparison.unverified == ()
    assert comparison.new == ()  # not failing now: nothing gates


def test_entries_match_by_fingerprint_of_check_resource_and_status() -> None:
    failing = finding(RDS, DB1)
    before = baseline((DB1, "fail", "bad"))
    assert before.findings[0].fingerprint == finding_fingerprint(failing)
    assert compare(report({"AWS-RDS-001": [DB1]}, [failing]), before).unchanged == (failing,)
