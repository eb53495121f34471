"""Coverage: what a scan looked at again, to decide whether an earlier finding is gone.

Used by drift, by alert episodes and by baseline comparison alike, so "resolved" means
one thing everywhere: a finding of an earlier scan that has no finding now is resolved
only when this scan actually looked again (see Recheck.gone).
"""

from __future__ import annotations

from compliance_opa.domain.identity import FindingKey, key_of
from compliance_opa.domain.report import ScanReport


class Recheck:
    """What this scan looked at again, to decide whether an earlier finding is gone."""

    def __init__(self, report: ScanReport):
        self._seen = {key_of(f) for f in report.findings}
        self._evaluated = {
            FindingKey(r.check.check_id, a) for r in report.results for a in r.evaluated
        }
        self._present = set(report.locations)
        self._complete = {scope for _, scope in report.complete_sources}
        self._gaps = bool(report.gaps)

    def seen(self, check_id: str, resource: str) -> bool:
        """This scan has a finding of this check on this resource (any status)."""
        return FindingKey(check_id, resource) in self._seen

    def gone(self, check_id: str, resource: str, source: str | None) -> bool:
        """No finding of this check on this resource now, and this scan looked again."""
        key = FindingKey(check_id, resource)
        if key in self._seen:
            return False
        if key in self._evaluated:
            return True
        if resource in self._present:
            return False  # still there but not judged by this check (filtered, renamed)
        if source:
            return source in self._complete
        return not self._gaps
