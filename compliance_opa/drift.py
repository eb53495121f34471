"""Drift: this scan against the last recorded scan of the same scope. Pure: no I/O.

Findings are matched by (check, resource). A finding of the last scan that has no
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
from dataclasses import dataclass

from compliance_opa.findings import Finding
from compliance_opa.scan import ScanReport


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

    @property
    def open_keys(self) -> set[tuple[str, str]]:
        return {f.key for f in self.unverified} | {
            (f.check.check_id, f.resource) for f in self.new + self.changed + self.persisting
        }


def compare_scans(
    report: ScanReport, previous: Iterable[PriorFinding] | None, previous_scan: str | None = None
) -> Drift:
    before: Mapping[tuple[str, str], PriorFinding] = {p.key: p for p in previous or ()}
    now = report.findings
    seen = {(f.check.check_id, f.resource) for f in now}
    evaluated = {(r.check.check_id, a) for r in report.results for a in r.evaluated}
    present = set(report.locations)

    def looked_again(prior: PriorFinding) -> bool:
        if prior.key in evaluated:
            return True
        if prior.resource in present:
            return False  # still there but not judged by this check (filtered, renamed)
        if prior.source:
            return any(scope == prior.source for _, scope in report.complete_sources)
        return not report.gaps

    gone = [p for k, p in before.items() if k not in seen]
    return Drift(
        previous_scan=previous_scan,
        new=tuple(f for f in now if _key(f) not in before),
        changed=tuple(f for f in now if _key(f) in before and _differs(before[_key(f)], f)),
        persisting=tuple(f for f in now if _key(f) in before and not _differs(before[_key(f)], f)),
        resolved=tuple(p for p in gone if looked_again(p)),
        unverified=tuple(p for p in gone if not looked_again(p)),
    )


def _key(finding: Finding) -> tuple[str, str]:
    return (finding.check.check_id, finding.resource)


def _differs(prior: PriorFinding, finding: Finding) -> bool:
    return prior.status != finding.status.value or prior.message != finding.message
