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
from dataclasses import dataclass, replace

from compliance_opa.app.evaluate import ScanReport
from compliance_opa.domain.findings import Finding, Status


@dataclass(frozen=True)
class PriorFinding:
    """A finding as the state store remembers it."""

    check_id: str
    resource: str
    status: str
    severity: str
    risk: int
    message: str
    title: str = ""
    source: str | None = None
    resource_type: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.check_id, self.resource)


@dataclass(frozen=True)
class Drift:
    previous_scan: str | None  # None: the first scan of this scope
    new: tuple[Finding, ...]
    changed: tuple[Finding, ...]  # same check and resource, other status or message
    persisting: tuple[Finding, ...]
    resolved: tuple[PriorFinding, ...]
    unverified: tuple[PriorFinding, ...]  # not seen, but not looked at again either
    # Failing now and not failing before (new, or turned to fail): what gates a drift run.
    # A failure whose message alone changed (a key's age in days) does not.
    newly_failing: tuple[Finding, ...] = ()

    @property
    def open_keys(self) -> set[tuple[str, str]]:
        return {f.key for f in self.unverified} | {
            (f.check.check_id, f.resource) for f in self.new + self.changed + self.persisting
        }


class Recheck:
    """What this scan looked at again, to decide whether an earlier finding is gone."""

    def __init__(self, report: ScanReport):
        self._seen = {(f.check.check_id, f.resource) for f in report.findings}
        self._evaluated = {(r.check.check_id, a) for r in report.results for a in r.evaluated}
        self._present = set(report.locations)
        self._complete = {scope for _, scope in report.complete_sources}
        self._gaps = bool(report.gaps)

    def gone(self, check_id: str, resource: str, source: str | None) -> bool:
        """No finding of this check on this resource now, and this scan looked again."""
        key = (check_id, resource)
        if key in self._seen:
            return False
        if key in self._evaluated:
            return True
        if resource in self._present:
            return False  # still there but not judged by this check (filtered, renamed)
        if source:
            return source in self._complete
        return not self._gaps


def compare_scans(
    report: ScanReport, previous: Iterable[PriorFinding] | None, previous_scan: str | None = None
) -> Drift:
    before: Mapping[tuple[str, str], PriorFinding] = {p.key: p for p in previous or ()}
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


def merged(findings: Iterable[Finding]) -> dict[tuple[str, str], Finding]:
    """One finding per check and resource: the riskiest, carrying every message of the
    check on that resource (a check may report several problems on one resource)."""
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (-f.risk, _STATUS_ORDER[f.status], f.message)):
        grouped.setdefault(_key(finding), []).append(finding)
    return {
        key: replace(group[0], message="; ".join(sorted({f.message for f in group})))
        for key, group in grouped.items()
    }


_STATUS_ORDER = {Status.FAIL: 0, Status.INDETERMINATE: 1, Status.WAIVED: 2}


def _key(finding: Finding) -> tuple[str, str]:
    return (finding.check.check_id, finding.resource)


def _differs(prior: PriorFinding, finding: Finding) -> bool:
    return prior.status != finding.status.value or prior.message != finding.message
