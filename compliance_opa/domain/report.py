"""The scan report: what one scan found, with what it was compared with. Pure values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from compliance_opa.domain.audit import AuditActivity
from compliance_opa.domain.changes import Comparison, Drift
from compliance_opa.domain.data_map import DataMap
from compliance_opa.domain.findings import CheckResult, Finding, Severity, Status
from compliance_opa.domain.rates import FrameworkSummary, Tally, count_by_severity, tally
from compliance_opa.domain.risk import ResourceFacts
from compliance_opa.domain.waivers import WaiverOutcome


@dataclass(frozen=True)
class InputInfo:
    path: str
    snapshot_id: str
    collected_at: str
    resources: int
    digest: str = ""  # sha256 of the input's bytes


@dataclass(frozen=True)
class SourceGap:
    """A part of the estate the snapshot did not fully collect (denied, failed, partial)."""

    input_path: str
    kind: str
    scope: str
    status: str
    detail: str

    def describe(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.kind} {self.scope} was {self.status} in {self.input_path}{detail}"


@dataclass(frozen=True)
class ScanReport:
    tool_version: str
    opa_version: str
    policy_digest: str
    opa_url: str
    started_at: str
    finished_at: str
    frameworks: tuple[str, ...]
    inputs: tuple[InputInfo, ...]
    results: tuple[CheckResult, ...]
    summaries: tuple[FrameworkSummary, ...]
    locations: dict[str, tuple[str, int]]  # resource address -> (input file, line)
    gaps: tuple[SourceGap, ...] = ()  # never silent: a partial collection is shown
    parameters: dict[str, Any] = field(default_factory=dict)  # overrides of the defaults
    comparison: Comparison | None = None  # against --baseline, when given
    # Facts of the resources that have findings: scoring, alert routing, drift.
    resources: dict[str, ResourceFacts] = field(default_factory=dict)
    # Attributes of the same resources, sensitive values redacted (domain/redact.py's
    # kept_attributes): the dashboard's resource page. Empty in reports stored before.
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (kind, scope) of every source collected completely: what drift may resolve.
    complete_sources: frozenset[tuple[str, str]] = frozenset()
    waivers: WaiverOutcome | None = None  # when a waivers file was given
    drift: Drift | None = None  # against the last scan of the scope (drift command)
    scan_id: str = ""  # its id in the state store, once recorded
    scope: str = ""
    threshold: float = 0.95  # compliance rate a framework must reach to pass (reports)
    # What the audit-log summaries among the inputs say happened in their period.
    audit: tuple[AuditActivity, ...] = ()
    # Where classified data lives (domain/data_map.py); empty for inputs without any.
    data_map: DataMap = field(default_factory=DataMap)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def findings_by_severity(self) -> list[Finding]:
        """Highest risk first, then most severe, then by check and resource: the order
        people read (and fix) them in."""
        return sorted(self.findings, key=finding_order)

    @property
    def totals(self) -> Tally:
        return tally(self.results)

    def by_severity(self, status: Status = Status.FAIL) -> dict[str, int]:
        return count_by_severity(self.findings, status)


def finding_order(finding: Finding) -> tuple[int, int, str, str]:
    return (-finding.risk, -finding.check.severity.rank, finding.check.check_id, finding.resource)


def breaches(report: ScanReport, fail_on: Severity | None) -> bool:
    """True when a failed finding is at or above the --fail-on threshold; with a baseline
    only a new or changed one counts, in a drift scan one that was not failing in the last
    scan. Waived findings never do."""
    if fail_on is None:
        return False
    if report.comparison is not None:
        gating: Sequence[Finding] = report.comparison.gating
    elif report.drift is not None:  # a drift scan fails on what started failing since
        gating = report.drift.newly_failing
    else:
        gating = report.findings
    return any(f.status is Status.FAIL and f.check.severity.rank >= fail_on.rank for f in gating)
