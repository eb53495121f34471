"""Drift: this scan against the last recorded scan of the same scope. Pure: no I/O.

Findings are matched by (check, resource), several findings of one check on one
resource counting as one (their messages joined). A finding of the last scan that has no
finding now is *resolved* only when this scan actually looked again:

- the check evaluated the resource this time and found nothing, or
- the resource is gone and the source it was collected under (its `source` scope)
  was collected completely this time; a resource without a known source counts as
  gone only when this scan has no coverage gap at all.

Otherwise it is *unverified*: still open, carried into this scan's record so the next
comparison still knows it, and never resolved by a coverage gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from compliance_opa.domain.changes import Drift, PriorFinding
from compliance_opa.domain.coverage import Recheck
from compliance_opa.domain.findings import Finding, Status
from compliance_opa.domain.identity import FindingKey, key_of
from compliance_opa.domain.report import ScanReport


def compare_scans(
    report: ScanReport, previous: Iterable[PriorFinding] | None, previous_scan: str | None = None
) -> Drift:
    before: Mapping[FindingKey, PriorFinding] = {p.key: p for p in previous or ()}
    now = merged(report.findings)
    recheck = Recheck(report)
    gone = [p for k, p in before.items() if k not in now]
    current = list(now.values())
    return Drift(
        previous_scan=previous_scan,
        new=tuple(f for f in current if _key(f) not in before),
        changed=tuple(f for f in current if _key(f) in before and _differs(before[_key(f)], f)),
        persisting=tuple(
            f for f in current if _key(f) in before and not _differs(before[_key(f)], f)
        ),
        resolved=tuple(p for p in gone if recheck.gone(p.check_id, p.resource, p.source)),
        unverified=tuple(p for p in gone if not recheck.gone(p.check_id, p.resource, p.source)),
        newly_failing=tuple(
            f
            for f in current
            if f.status is Status.FAIL
            and (_key(f) not in before or before[_key(f)].status != Status.FAIL.value)
        ),
    )


def merged(findings: Iterable[Finding]) -> dict[FindingKey, Finding]:
    """One finding per check and resource: the riskiest, carrying every message of the
    check on that resource (a check may report several problems on one resource)."""
    grouped: dict[FindingKey, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (-f.risk, _STATUS_ORDER[f.status], f.message)):
        grouped.setdefault(_key(finding), []).append(finding)
    return {
        key: replace(group[0], message="; ".join(sorted({f.message for f in group})))
        for key, group in grouped.items()
    }


_STATUS_ORDER = {Status.FAIL: 0, Status.INDETERMINATE: 1, Status.WAIVED: 2}


def _key(finding: Finding) -> FindingKey:
    return key_of(finding)


def _differs(prior: PriorFinding, finding: Finding) -> bool:
    return prior.status != finding.status.value or prior.message != finding.message
