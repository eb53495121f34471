"""The scan service: validated inventories -> OPA (chunked when large) -> a ScanReport."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from compliance_opa import __version__
from compliance_opa.domain.baseline import Comparison
from compliance_opa.domain.findings import (
    FRAMEWORKS,
    CheckResult,
    Finding,
    Severity,
    Status,
    parse_catalogues,
    parse_report,
)
from compliance_opa.domain.rates import (
    FrameworkSummary,
    Tally,
    count_by_severity,
    summarize_framework,
    tally,
)
from compliance_opa.domain.redact import redact
from compliance_opa.domain.risk import ResourceFacts, facts_of, risk_score
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.request_builder import ChunkSettings, evaluate_inventories
from compliance_opa.inventory.load import Inventory, resource_locations

if TYPE_CHECKING:
    from compliance_opa.domain.drift import Drift
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
    # (kind, scope) of every source collected completely: what drift may resolve.
    complete_sources: frozenset[tuple[str, str]] = frozenset()
    waivers: WaiverOutcome | None = None  # when a waivers file was given
    drift: Drift | None = None  # against the last scan of the scope (drift command)
    scan_id: str = ""  # its id in the state store, once recorded
    scope: str = ""
    threshold: float = 0.95  # compliance rate a framework must reach to pass (reports)

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


def run_scan(
    inventories: Sequence[Inventory],
    client: OpaClient,
    frameworks: Sequence[str] = (),
    parameters: dict[str, Any] | None = None,
    chunking: ChunkSettings | None = None,
) -> ScanReport:
    selected = tuple(frameworks) or FRAMEWORKS
    started = _now()
    # The policy digest is asked for while the input is evaluated.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="opa-digest") as pool:
        digest_call = pool.submit(client.policy_digest)
        evaluation = evaluate_inventories(client, inventories, parameters, chunking)
        digest = digest_call.result()
    results = tuple(r for r in parse_report(evaluation.result) if r.check.maps_to(selected))
    results = redact(results, {a: s for inv in inventories for a, s in inv.sensitive().items()})
    with_findings = {f.resource for r in results for f in r.findings}
    facts = {
        str(r["address"]): facts_of(r)
        for inv in inventories
        for r in inv.resources_at(with_findings)
    }
    results = tuple(_scored(r, facts) for r in results)
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
                resources=len(inv.addresses()),
                digest=inv.digest,
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
        resources=facts,
        complete_sources=frozenset(
            (str(s["kind"]), str(s["scope"]))
            for inv in inventories
            for s in inv.document["sources"]
            if s["status"] == "complete"
        ),
    )


def finding_order(finding: Finding) -> tuple[int, int, str, str]:
    return (-finding.risk, -finding.check.severity.rank, finding.check.check_id, finding.resource)


def _scored(result: CheckResult, facts: dict[str, ResourceFacts]) -> CheckResult:
    scored = tuple(
        replace(f, risk=risk_score(f.check.severity.value, facts.get(f.resource)))
        for f in result.findings
    )
    return replace(result, findings=scored)


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
