"""Build ScanReports by hand for tests of the pure processor (drift, alerts, risk)."""

from __future__ import annotations

from collections.abc import Iterable

from compliance_opa.domain.findings import Check, CheckResult, Finding, Severity, Status
from compliance_opa.domain.report import ScanReport, SourceGap
from compliance_opa.domain.risk import ResourceFacts


def check(
    check_id: str, severity: Severity = Severity.HIGH, frameworks: Iterable[str] = ("hipaa",)
) -> Check:
    return Check(
        check_id=check_id,
        title=f"title of {check_id}",
        description="",
        severity=severity,
        resource_types=("aws_db_instance",),
        controls={f: ("1.1",) for f in frameworks},
        remediation=f"fix {check_id}",
    )


def finding(
    c: Check, resource: str, status: Status = Status.FAIL, message: str = "bad", risk: int = 50
) -> Finding:
    return Finding(c, resource, "aws_db_instance", status, message, (), risk)


def report(
    evaluated: dict[str, Iterable[str]],
    findings: Iterable[Finding] = (),
    present: Iterable[str] | None = None,
    complete: Iterable[str] = (),
    gaps: Iterable[str] = (),
    facts: Iterable[ResourceFacts] = (),
    checks: Iterable[Check] = (),
) -> ScanReport:
    """evaluated: check id -> resources the check judged; present: every resource address
    in the inputs (default: all evaluated ones); complete/gaps: source scopes."""
    listed = list(findings)
    known = {c.check_id: c for c in checks} | {f.check.check_id: f.check for f in listed}
    results = tuple(
        CheckResult(
            check=known.get(check_id) or check(check_id),
            evaluated=tuple(addresses),
            findings=tuple(f for f in listed if f.check.check_id == check_id),
        )
        for check_id, addresses in sorted(evaluated.items())
    )
    addresses = set(present) if present is not None else {a for r in results for a in r.evaluated}
    return ScanReport(
        tool_version="test",
        opa_version="1.22.2",
        policy_digest="sha256:test",
        opa_url="test",
        started_at="2026-11-23T10:00:00Z",
        finished_at="2026-11-23T10:00:01Z",
        frameworks=("gdpr", "hipaa", "pci_dss", "soc2", "iso27001"),
        inputs=(),
        results=results,
        summaries=(),
        locations={a: ("input.json", 1) for a in addresses},
        gaps=tuple(SourceGap("input.json", "aws", g, "failed", "throttled") for g in gaps),
        resources={f.address: f for f in facts},
        complete_sources=frozenset(("aws", c) for c in complete),
    )
