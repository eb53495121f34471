"""The scan service: validated inventories -> one OPA query -> a ScanReport."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from compliance_opa import __version__
from compliance_opa.baseline import Comparison
from compliance_opa.findings import (
    FRAMEWORKS,
    CheckResult,
    Finding,
    Severity,
    Status,
    parse_catalogues,
    parse_report,
)
from compliance_opa.inventory import Inventory, opa_input, resource_locations
from compliance_opa.opa_client import OpaClient
from compliance_opa.redact import redact
from compliance_opa.scoring import (
    FrameworkSummary,
    Tally,
    count_by_severity,
    summarize_framework,
    tally,
)


@dataclass(frozen=True)
class InputInfo:
    path: str
    snapshot_id: str
    collected_at: str
    resources: int


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

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def findings_by_severity(self) -> list[Finding]:
        """Most severe first, then by check and resource: the order people read."""
        return sorted(
            self.findings, key=lambda f: (-f.check.severity.rank, f.check.check_id, f.resource)
        )

    @property
    def totals(self) -> Tally:
        return tally(self.results)

    def by_severity(self, status: Status = Status.FAIL) -> dict[str, int]:
        return count_by_severity(self.findings, status)


def run_scan(
    inventories: Sequence[Inventory],
    client: OpaClient,
    frameworks: Sequence[str] = (),
    parameters: dict[str, Any] | None = None,
) -> ScanReport:
    selected = tuple(frameworks) or FRAMEWORKS
    started = _now()
    digest = client.policy_digest()
    evaluation = client.evaluate(opa_input(inventories, parameters))
    results = tuple(r for r in parse_report(evaluation.result) if r.check.maps_to(selected))
    results = redact(results, (r for inv in inventories for r in inv.resources))
    catalogues = parse_catalogues(evaluation.result)
    return ScanReport(
        tool_version=__version__,
        opa_version=evaluation.opa_version,
        policy_digest=digest,
        opa_url=client.display_url,
        started_at=started,
        finished_at=_now(),
        frameworks=selected,
        inputs=tuple(
            InputInfo(
                path=str(inv.path),
                snapshot_id=str(inv.document["snapshot_id"]),
                collected_at=str(inv.document["collected_at"]),
                resources=len(inv.resources),
            )
            for inv in inventories
        ),
        results=results,
        summaries=tuple(summarize_framework(f, list(results), catalogues.get(f)) for f in selected),
        parameters=dict(parameters or {}),
        locations={a: loc for inv in inventories for a, loc in resource_locations(inv).items()},
        gaps=tuple(
            SourceGap(
                input_path=str(inv.path),
                kind=str(source["kind"]),
                scope=str(source["scope"]),
                status=str(source["status"]),
                detail=str(source.get("detail", "")),
            )
            for inv in inventories
            for source in inv.document["sources"]
            if source["status"] != "complete"
        ),
    )


def breaches(report: ScanReport, fail_on: Severity | None) -> bool:
    """True when a failed finding is at or above the --fail-on threshold; with a baseline,
    only a new one counts."""
    if fail_on is None:
        return False
    gating = report.comparison.gating if report.comparison is not None else report.findings
    return any(f.status is Status.FAIL and f.check.severity.rank >= fail_on.rank for f in gating)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
