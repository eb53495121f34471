"""Evaluating a scan's input in chunks: each request under OPA's size limit, several at once.

Every check judges one resource at a time (policies/lib/inventory.rego gives each check
its resources by type; no check joins two resources), so the resources can be split
across requests and the per-check answers concatenated: the merged report is the one a
single query over the whole input returns. Sources and parameters go with every chunk.

The input is serialised once, resource by resource, straight to bytes; each request body
is those bytes joined, never a second serialisation of the whole document.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from compliance_opa.errors import EngineError, InputError
from compliance_opa.inventory import SCHEMA_VERSION, Inventory
from compliance_opa.jsonbytes import dumps as _dumps
from compliance_opa.opa_client import MAX_WORKERS, Evaluation, OpaClient

# OPA refuses request bodies over 128 MiB by default (server.decoding.max_length); a
# margin leaves room for the envelope and for OPAs configured a little lower.
DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024
# Below this a second request costs more than it saves (OPA parses and evaluates a
# 1 MiB input in a few tens of milliseconds).
PARALLEL_MIN_BYTES = 1024 * 1024
# Above it, requests of about this size: chunks of uneven cost then even out across the
# workers, and OPA's memory per request stays small (100k resources: 33 s in 2 requests,
# 28 s in 14 on two cores).
CHUNK_TARGET_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class ChunkSettings:
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    workers: int = 0  # 0: one per CPU, at most MAX_WORKERS

    def resolved_workers(self) -> int:
        if self.workers > 0:
            return self.workers
        return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def evaluate_inventories(
    client: OpaClient,
    inventories: Sequence[Inventory],
    parameters: dict[str, Any] | None = None,
    settings: ChunkSettings | None = None,
) -> Evaluation:
    """The scan report for every resource of the inventories, from as many requests as
    the size limit and the workers call for, merged into one."""
    settings = settings or ChunkSettings()
    bodies = request_bodies(
        [r for inv in inventories for r in inv.resources],
        [s for inv in inventories for s in inv.document["sources"]],
        parameters or {},
        settings,
    )
    if len(bodies) == 1:
        return client.evaluate_body(bodies[0])
    workers = min(settings.resolved_workers(), len(bodies))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="opa-chunk")
    try:
        evaluations = list(pool.map(client.evaluate_body, bodies))
    except BaseException:
        # One chunk failed (or Ctrl-C): the scan has failed, do not send the rest.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return Evaluation(
        result=merge_reports([e.result for e in evaluations]),
        opa_version=evaluations[0].opa_version,
    )


def request_bodies(
    resources: Sequence[Any],
    sources: Sequence[Any],
    parameters: dict[str, Any],
    settings: ChunkSettings,
) -> list[bytes]:
    """`{"input": ...}` bodies, each at most ``settings.max_request_bytes`` long, that
    together hold every resource once, in order."""
    head = b'{"input":{"schema_version":' + _dumps(SCHEMA_VERSION) + b',"sources":'
    head += _dumps(list(sources)) + b',"parameters":' + _dumps(parameters) + b',"resources":['
    tail = b"]}}"
    room = settings.max_request_bytes - len(head) - len(tail)
    if room <= 0:
        raise InputError(
            f"the input's sources and parameters alone are {len(head) + len(tail):,} bytes"
            f" serialised, over the {settings.max_request_bytes:,}-byte OPA request limit"
            " (--opa-max-request-bytes)"
        )
    encoded = [_dumps(r) for r in resources]
    total = sum(len(e) + 1 for e in encoded)
    for resource, body in zip(resources, encoded, strict=True):
        if len(body) + 1 > room:
            address = resource.get("address") if isinstance(resource, dict) else None
            raise InputError(
                f"resource {address!r} is {len(body):,} bytes serialised, over the"
                f" {settings.max_request_bytes:,}-byte OPA request limit (--opa-max-request-bytes)"
            )
    parts = -(-total // room)  # the fewest the size limit allows
    if total >= PARALLEL_MIN_BYTES:
        parts = max(parts, settings.resolved_workers(), -(-total // CHUNK_TARGET_BYTES))
    groups = _balanced(encoded, max(1, min(parts, len(encoded))), room)
    return [head + b",".join(group) + tail for group in groups]


def _balanced(encoded: list[bytes], parts: int, room: int) -> list[list[bytes]]:
    """Consecutive groups of about equal byte size, none over ``room``."""
    target = max(1, sum(len(e) + 1 for e in encoded) // parts)
    groups: list[list[bytes]] = [[]]
    size = 0
    for item in encoded:
        grown = size + len(item) + 1
        if groups[-1] and (grown > room or (size >= target and len(groups) < parts)):
            groups.append([])
            size = 0
            grown = len(item) + 1
        groups[-1].append(item)
        size = grown
    return groups


def merge_reports(reports: Iterable[Any]) -> dict[str, Any]:
    """One `data.scan.report` from the reports of disjoint chunks of the input: per check,
    the resources evaluated and the findings of every chunk; errors of any."""
    merged: dict[str, dict[str, Any]] = {}
    errors: list[Any] = []
    frameworks: Any = {}
    for report in reports:
        try:
            checks, chunk_errors = report["checks"], report["errors"]
            frameworks = report.get("frameworks", frameworks)
            errors.extend(e for e in chunk_errors if e not in errors)
            for check in checks:
                package = check["package"]
                if package not in merged:
                    merged[package] = {**check, "evaluated": [], "findings": []}
                merged[package]["evaluated"].extend(check["evaluated"])
                merged[package]["findings"].extend(check["findings"])
        except (KeyError, TypeError) as exc:
            raise EngineError(f"OPA report has an unexpected shape ({exc!r})") from exc
    for check in merged.values():
        check["evaluated"].sort()
    return {"checks": list(merged.values()), "errors": errors, "frameworks": frameworks}
