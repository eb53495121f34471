"""What a scan is compared with, and what each comparison found. Pure values.

- Against a baseline (an earlier JSON report, `--baseline`): Baseline, BaselineFinding,
  Comparison.
- Against the scope's last recorded scan (`drift`): PriorFinding, Drift.

The rules that fill them are in baseline.py and drift.py; what counts as "the same
finding" is in identity.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compliance_opa.domain.data_changes import DataChange
from compliance_opa.domain.data_map import DataStore
from compliance_opa.domain.findings import Finding
from compliance_opa.domain.identity import FindingKey, fingerprint, key_of


@dataclass(frozen=True)
class BaselineFinding:
    check_id: str
    resource: str
    status: str
    severity: str
    title: str
    message: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.check_id, self.resource, self.status)


@dataclass(frozen=True)
class Baseline:
    path: Path
    findings: tuple[BaselineFinding, ...]
    compliance: dict[str, float | None]  # framework -> compliance rate in the baseline


@dataclass(frozen=True)
class Comparison:
    """This scan against a baseline: what is new, what stays, what was fixed."""

    baseline: Baseline
    new: tuple[Finding, ...]
    changed: tuple[Finding, ...]  # failing before and now, but differently (the message)
    unchanged: tuple[Finding, ...]
    resolved: tuple[BaselineFinding, ...]  # failing before, looked at again: no finding now
    # Failing before, no finding now, but not looked at again (a coverage gap): not fixed.
    unverified: tuple[BaselineFinding, ...] = ()

    @property
    def gating(self) -> tuple[Finding, ...]:
        """What fails the build: new failures, and failures whose message changed (the
        rule "a message change gates a baseline", see baseline.py)."""
        return self.new + self.changed


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
    def key(self) -> FindingKey:
        return FindingKey(self.check_id, self.resource)


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
    # Data stores that became classified, moved region or lost encryption since the
    # previous scan (data_changes.py); none on the first scan of a scope.
    data_changes: tuple[DataChange, ...] = ()
    # Stores of the baseline this scan did not see but cannot call gone (their source
    # was not collected completely): kept for the next scan's baseline, so a store that
    # comes back after a gap is not reported as newly classified.
    data_carried: tuple[DataStore, ...] = ()

    @property
    def open_keys(self) -> set[FindingKey]:
        return {f.key for f in self.unverified} | {
            key_of(f) for f in self.new + self.changed + self.persisting
        }
