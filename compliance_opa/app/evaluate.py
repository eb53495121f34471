"""The scan service: validated inventories -> OPA (chunked when large) -> a ScanReport."""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from compliance_opa import __version__
from compliance_opa.app import incremental
from compliance_opa.app.incremental import CacheUse
from compliance_opa.config.load import default_parameters
from compliance_opa.domain.answer import parse_catalogues, parse_report
from compliance_opa.domain.audit import AUDIT_TYPES, AuditActivity, audit_of
from compliance_opa.domain.data_map import DataMap
from compliance_opa.domain.data_map_build import SELECTED_TYPES
from compliance_opa.domain.data_map_build import build as build_data_map
from compliance_opa.domain.findings import FRAMEWORKS, CheckResult, Status
from compliance_opa.domain.rates import (
    summarize_framework,
)
from compliance_opa.domain.redact import kept_attributes, redact
from compliance_opa.domain.report import InputInfo, ScanReport, SourceGap
from compliance_opa.domain.risk import ResourceFacts, facts_of, risk_score
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.engine.request_builder import ChunkSettings, evaluate_with_digest
from compliance_opa.inventory.load import Inventory, resource_locations


def run_scan(
    inventories: Sequence[Inventory],
    client: Evaluator,
    frameworks: Sequence[str] = (),
    parameters: dict[str, Any] | None = None,
    chunking: ChunkSettings | None = None,
    *,
    summarize: bool = True,
    cache: CacheUse | None = None,
    on_cache: Callable[[incremental.Outcome], None] | None = None,
) -> ScanReport:
    """``summarize`` False leaves the per-framework summaries out (the validation API
    answers verdicts per resource, and summarising every control is most of its time).
    With ``cache``, only the resources whose verdicts it does not hold go to OPA
    (app/incremental.py); ``on_cache`` is told how that went."""
    selected = tuple(frameworks) or FRAMEWORKS
    started = _now()
    if cache is not None:
        outcome = incremental.evaluate(client, inventories, parameters, chunking, cache)
        evaluation, digest = outcome.evaluation, outcome.digest
        if on_cache is not None:
            on_cache(outcome)
    else:
        # The policy digest is asked for while the input is evaluated.
        evaluation, digest = evaluate_with_digest(client, inventories, parameters, chunking)
    results = tuple(r for r in parse_report(evaluation.result) if r.check.maps_to(selected))
    results = redact(results, {a: s for inv in inventories for a, s in inv.sensitive().items()})
    with_findings = {f.resource for r in results for f in r.findings}
    facts: dict[str, ResourceFacts] = {}
    attributes: dict[str, dict[str, Any]] = {}
    for inv in inventories:
        for resource in inv.resources_at(with_findings):
            facts[str(resource["address"])] = facts_of(resource)
            attributes[str(resource["address"])] = kept_attributes(resource)
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
        summaries=tuple(summarize_framework(f, list(results), catalogues.get(f)) for f in selected)
        if summarize
        else (),
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
        attributes=attributes,
        complete_sources=frozenset(
            (str(s["kind"]), str(s["scope"]))
            for inv in inventories
            for s in inv.document["sources"]
            if s["status"] == "complete"
        ),
        audit=_audit(inventories),
        data_map=_data_map(inventories, results, parameters),
    )


def _audit(inventories: Sequence[Inventory]) -> tuple[AuditActivity, ...]:
    """The audit activity of every audit-log summary in the inputs (a few resources)."""
    return audit_of(_of_types(inventories, AUDIT_TYPES))


def _data_map(
    inventories: Sequence[Inventory],
    results: Sequence[CheckResult],
    parameters: dict[str, Any] | None,
) -> DataMap:
    """The data map of the data stores and the resources connected to them (selected by
    type from the entries, not by parsing the whole inventory again)."""
    failing: dict[str, list[tuple[str, str]]] = {}
    for result in results:
        for f in result.findings:
            if f.status is Status.FAIL:
                failing.setdefault(f.resource, []).append(
                    (f.check.check_id, f.check.severity.value)
                )
    effective = {**default_parameters(), **(parameters or {})}
    return build_data_map(_of_types(inventories, SELECTED_TYPES), failing, effective)


def _of_types(inventories: Sequence[Inventory], types: Container[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for inv in inventories:
        if inv.streamed is not None:
            wanted = {e.address for e in inv.streamed.entries if e.type in types}
        else:
            wanted = {str(r["address"]) for r in inv.document["resources"]
                      if r.get("type") in types}  # fmt: skip
        if wanted:
            found.extend(inv.resources_at(wanted))
    return found


def _scored(result: CheckResult, facts: dict[str, ResourceFacts]) -> CheckResult:
    scored = tuple(
        replace(f, risk=risk_score(f.check.severity.value, facts.get(f.resource)))
        for f in result.findings
    )
    return replace(result, findings=scored)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
