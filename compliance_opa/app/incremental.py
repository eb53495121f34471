"""Incremental evaluation: only the resources that changed go to OPA.

Every check judges one resource at a time, reading nothing but that resource and the
parameters (policies/lib/inventory.rego, lib/params.rego; tests/unit/policies/
test_isolation.py keeps it so, and facts from other resources are folded into a resource
before OPA sees it: a parameter group's values, a bucket's policy and public-access
block). So a resource's verdicts (the checks that evaluated it, its findings) are a
function of its JSON text and of the context: the policy digest, the policy folder's data
files (data.config's default parameters, the catalogues) and the parameter overrides.

The cache (state/verdicts.py) keys verdicts by the sha256 of the resource's text as it
is sent to OPA (a snapshot's text as written, a held resource serialised); a resource
written differently but equal is a miss, never a wrong hit. The misses are evaluated
(chunked, as any input) and the hits merged into OPA's answer, per check, as a full
evaluation would have given them: `evaluated` sorted, a resource's findings in OPA's
order. The
answer's metadata and catalogues always come from OPA (a scan with no miss sends an
empty input). Anything unexpected (a verdict that does not parse, a check OPA no longer
has, another OPA version) makes the affected resources misses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson

from compliance_opa.engine.evaluator import Evaluation, Evaluator, KnownDigest
from compliance_opa.engine.request_builder import (
    ChunkSettings,
    evaluate_inventories,
    evaluate_with_digest,
)
from compliance_opa.errors import EngineError
from compliance_opa.inventory.load import Inventory
from compliance_opa.state.verdicts import VerdictCache

FORMAT = 1  # of the verdict text: bumped when it changes, so old rows are another context


@dataclass(frozen=True)
class CacheUse:
    """What a scan asks of the cache: read it (False with --no-cache: evaluate everything,
    then save the verdicts), and the policy folder the managed OPA loads."""

    cache: VerdictCache
    policies: Path
    read: bool = True


@dataclass(frozen=True)
class Outcome:
    evaluation: Evaluation
    digest: str
    hits: int = 0
    evaluated: int = 0  # resources sent to OPA
    used: bool = False  # False: the cache could not apply (an OPA whose digest is unknown)


def evaluate(
    client: Evaluator,
    inventories: Sequence[Inventory],
    parameters: dict[str, Any] | None,
    settings: ChunkSettings | None,
    use: CacheUse,
) -> Outcome:
    known = client.known_digest() if isinstance(client, KnownDigest) else None
    addresses = [a for inv in inventories for a in inv.addresses()]
    if known is None or len(set(addresses)) != len(addresses):
        # A remote OPA: its data documents can change under the same module digest.
        evaluation, digest = evaluate_with_digest(client, inventories, parameters, settings)
        return Outcome(evaluation, digest, 0, len(addresses))
    context = context_of(known, use.policies, parameters or {})
    hashes = resource_hashes(inventories)
    cached = use.cache.lookup(context) if use.read else None
    hits: dict[str, list[Any]] = {}  # address -> its verdict, parsed
    if cached is not None:
        for address, resource_hash in hashes.items():
            text = cached.verdicts.get(resource_hash)
            verdict = _parsed(text, address) if text is not None else None
            if verdict is not None:
                hits[address] = verdict
    evaluation = _evaluate_misses(client, inventories, parameters, settings, set(hits))
    if hits and cached is not None and evaluation.opa_version != cached.opa_version:
        hits = {}  # judged by another OPA: everything again
        evaluation = evaluate_inventories(client, inventories, parameters, settings)
    merged, fresh = _merged(evaluation.result, addresses, hits)
    if merged is None:  # a cached verdict names a check OPA does not have
        hits = {}
        evaluation = evaluate_inventories(client, inventories, parameters, settings)
        merged, fresh = _merged(evaluation.result, addresses, hits)
    if merged is None:  # nothing cached to disagree with: cannot happen
        raise EngineError("OPA's answer could not be merged with the verdict cache")
    if fresh is not None:
        use.cache.save(
            context,
            evaluation.opa_version,
            {hashes[a]: v for a, v in fresh.items()},
            [hashes[a] for a in hits],
            len(addresses),
        )
    return Outcome(
        Evaluation(merged, evaluation.opa_version),
        known,
        len(hits),
        len(addresses) - len(hits),
        True,
    )


def context_of(policy_digest: str, policies: Path, parameters: dict[str, Any]) -> str:
    """What every verdict depends on besides its resource: the policy modules (their
    digest), the folder's other files (data.config's defaults, the catalogues) and the
    parameter overrides."""
    data = hashlib.sha256()
    for path in sorted(p for p in policies.rglob("*") if p.is_file() and p.suffix != ".rego"):
        data.update(str(path.relative_to(policies)).encode() + b"\0")
        data.update(hashlib.sha256(path.read_bytes()).digest())
    key = {
        "format": FORMAT,
        "policy_digest": policy_digest,
        "policy_data": data.hexdigest(),
        "parameters": orjson.loads(orjson.dumps(parameters, option=orjson.OPT_SORT_KEYS)),
    }
    return hashlib.sha256(orjson.dumps(key, option=orjson.OPT_SORT_KEYS)).hexdigest()


def resource_hashes(inventories: Sequence[Inventory]) -> dict[str, str]:
    """Address -> sha256 of the resource's JSON text as OPA is sent it (a snapshot's
    resources read again from the file, each checked against what was validated)."""
    hashes: dict[str, str] = {}
    for inventory in inventories:
        for address, text in zip(inventory.addresses(), inventory.encoded_resources(), strict=True):
            hashes[address] = hashlib.sha256(text).hexdigest()
    return hashes


def _parsed(text: str, address: str) -> list[Any] | None:
    """A verdict: [[package, evaluated, [finding, ...]], ...], every finding about
    ``address``; None when it is anything else (then the resource is a miss)."""
    try:
        verdict = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(verdict, list):
        return None
    for entry in verdict:
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], bool)
            and isinstance(entry[2], list)
            and all(isinstance(f, dict) and f.get("resource") == address for f in entry[2])
        ):
            return None
    return verdict


def _evaluate_misses(
    client: Evaluator,
    inventories: Sequence[Inventory],
    parameters: dict[str, Any] | None,
    settings: ChunkSettings | None,
    hits: set[str],
) -> Evaluation:
    """OPA's (merged, lean) answer for the resources not in ``hits``; an empty input when
    every resource is: the answer still carries every check's metadata."""
    if not hits:
        return evaluate_inventories(client, inventories, parameters, settings)
    return evaluate_inventories(client, [_without(inv, hits) for inv in inventories], parameters,
                                settings)  # fmt: skip


def _without(inventory: Inventory, hits: set[str]) -> Inventory:
    if inventory.streamed is not None:
        # The file is still read whole (its digest is checked), but only these are sent.
        entries = [e for e in inventory.streamed.entries if e.address not in hits]
        return replace(inventory, streamed=replace(inventory.streamed, entries=entries))
    resources = [r for r in inventory.document["resources"] if r["address"] not in hits]
    return replace(inventory, document={**inventory.document, "resources": resources})


def _merged(
    report: dict[str, Any], addresses: Sequence[str], hits: dict[str, list[Any]]
) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    """(The report a full evaluation gives, the fresh verdicts to keep, as text) from OPA's
    answer on the misses and the cached verdicts of the hits. (None, _) when a hit names
    a check the answer does not have; (_, None) when the answer cannot be split per
    resource (a finding or an evaluated address that is not a resource sent): then nothing
    is kept."""
    if report.get("errors"):
        return report, None  # parse_report raises the policy error
    checks = {c["package"]: c for c in report["checks"]}
    # package -> address -> (evaluated, findings), from both sides.
    evaluated: dict[str, set[str]] = {p: set(c["evaluated"]) for p, c in checks.items()}
    findings: dict[str, dict[str, list[Any]]] = {p: {} for p in checks}
    fresh_addresses = [a for a in addresses if a not in hits]
    fresh_set = set(fresh_addresses)
    keepable = True
    for package, check in checks.items():
        if not evaluated[package] <= fresh_set:
            keepable = False
        for finding in check["findings"]:
            resource = finding.get("resource")
            if resource not in fresh_set:
                keepable = False
            findings[package].setdefault(resource, []).append(finding)
    for address, verdict in hits.items():
        for package, was_evaluated, found in verdict:
            if package not in checks:
                return None, None
            if was_evaluated:
                evaluated[package].add(address)
            if found:
                findings[package][address] = list(found)
    fresh: dict[str, str] | None = None
    if keepable:
        per_resource: dict[str, list[Any]] = {a: [] for a in fresh_addresses}
        for package in checks:  # in the answer's order, each resource's entries too
            by_address = findings[package]
            for address in evaluated[package] | by_address.keys():
                if address in fresh_set:
                    per_resource[address].append(
                        [package, address in evaluated[package], by_address.get(address, [])]
                    )
        fresh = {a: orjson.dumps(v).decode() for a, v in per_resource.items()}
    position = {a: i for i, a in enumerate(addresses)}
    merged_checks = []
    for package, check in checks.items():
        by_address = findings[package]
        # Findings grouped by resource in input order (parse_report sorts them by resource,
        # status and message, stably: a resource's own findings keep OPA's order); any
        # about no resource sent (never from a conforming check) at the end.
        ordered = [
            f
            for a in sorted(by_address, key=lambda a: position.get(a, len(position)))
            for f in by_address[a]
        ]
        merged_checks.append(
            {**check, "evaluated": sorted(evaluated[package]), "findings": ordered}
        )
    return {**report, "checks": merged_checks}, fresh
