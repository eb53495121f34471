"""Evaluating a scan's input in chunks: each request under OPA's size limit, several at once.

Every check judges one resource at a time (policies/lib/inventory.rego gives each check
its resources by type; no check joins two resources), so the resources can be split
across requests and the per-check answers concatenated: the merged report is the one a
single query over the whole input returns. Sources and parameters go with every chunk.

The input is serialised once, resource by resource, straight to bytes (a snapshot's
resources are sent as the file spells them, read again from their places in it); each
request body is those bytes joined, built only as a worker is ready to send it.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
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
    the size limit and the workers call for, merged into one. Bodies are built as the
    workers take them: at most one waits beyond those being evaluated."""
    settings = settings or ChunkSettings()
    parts, bodies = _bodies(
        _outgoing(inventories),
        [s for inv in inventories for s in inv.sources],
        parameters or {},
        settings,
    )
    if parts == 1:
        (body,) = bodies
        return _lean_evaluation(client, body)
    workers = min(settings.resolved_workers(), parts)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="opa-chunk")
    pending: deque[Future[Evaluation]] = deque()
    merged = _Merged()
    try:
        for body in bodies:
            pending.append(pool.submit(_lean_evaluation, client, body))
            while len(pending) > workers:
                merged.add(pending.popleft().result())
        while pending:
            merged.add(pending.popleft().result())
    except BaseException:
        # One chunk failed, the input changed, or Ctrl-C: the scan has failed, do not
        # send the rest.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return Evaluation(result=merged.report(), opa_version=merged.opa_version)


def request_bodies(
    resources: Sequence[Any],
    sources: Sequence[Any],
    parameters: dict[str, Any],
    settings: ChunkSettings,
) -> list[bytes]:
    """`{"input": ...}` bodies, each at most ``settings.max_request_bytes`` long, that
    together hold every resource once, in order."""
    encoded = [_dumps(r) for r in resources]
    addresses = [r.get("address") if isinstance(r, dict) else None for r in resources]
    outgoing = _Outgoing(addresses, [len(e) for e in encoded], iter(encoded))
    return list(_bodies(outgoing, sources, parameters, settings)[1])


@dataclass(frozen=True)
class _Outgoing:
    """The resources to send: their addresses and sizes up front, their text as read."""

    addresses: list[Any]
    sizes: list[int]
    encoded: Iterator[bytes]


def _outgoing(inventories: Sequence[Inventory]) -> _Outgoing:
    addresses: list[Any] = []
    sizes: list[int] = []
    parts: list[Iterator[bytes]] = []
    for inventory in inventories:
        addresses.extend(inventory.addresses())
        if inventory.streamed is not None:  # read from the file as the bodies are built
            sizes.extend(e.end - e.start for e in inventory.streamed.entries)
            parts.append(inventory.streamed.encoded())
        else:
            encoded = list(inventory.encoded_resources())
            sizes.extend(len(e) for e in encoded)
            parts.append(iter(encoded))
    return _Outgoing(addresses, sizes, chain.from_iterable(parts))


def _bodies(
    outgoing: _Outgoing,
    sources: Sequence[Any],
    parameters: dict[str, Any],
    settings: ChunkSettings,
) -> tuple[int, Iterator[bytes]]:
    """(How many bodies, the bodies as they are built): consecutive resources in groups
    of about equal byte size, none over the request limit."""
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
    for address, size in zip(outgoing.addresses, outgoing.sizes, strict=True):
        if size + 1 > room:
            raise _too_big(address, size, settings)
    total = sum(size + 1 for size in outgoing.sizes)
    parts = -(-total // room)  # the fewest the size limit allows
    if total >= PARALLEL_MIN_BYTES:
        parts = max(parts, settings.resolved_workers(), -(-total // CHUNK_TARGET_BYTES))
    parts = max(1, min(parts, len(outgoing.sizes)))
    target = max(1, total // parts)

    def bodies() -> Iterator[bytes]:
        group: list[bytes] = []
        size, made = 0, 1
        for address, item in zip(outgoing.addresses, outgoing.encoded, strict=False):
            if len(item) + 1 > room:  # a resource re-serialised longer than it was written
                raise _too_big(address, len(item), settings)
            grown = size + len(item) + 1
            if group and (grown > room or (size >= target and made < parts)):
                yield head + b",".join(group) + tail
                group, size, made = [], 0, made + 1
                grown = len(item) + 1
            group.append(item)
            size = grown
        yield head + b",".join(group) + tail

    return parts, bodies()


def _too_big(address: Any, size: int, settings: ChunkSettings) -> InputError:
    return InputError(
        f"resource {address!r} is {size:,} bytes serialised, over the"
        f" {settings.max_request_bytes:,}-byte OPA request limit (--opa-max-request-bytes)"
    )


def merge_reports(reports: Iterable[Any]) -> dict[str, Any]:
    """One `data.scan.report` from the reports of disjoint chunks of the input: per check,
    the resources evaluated and the findings of every chunk; errors of any."""
    merged = _Merged()
    for report in reports:
        merged.add_report(lean_report(report))
    return merged.report()


def _lean_evaluation(client: OpaClient, body: bytes) -> Evaluation:
    """OPA's answer to one body, made lean by the worker that asked for it, so the full
    answer is dropped as soon as it is read."""
    evaluation = client.evaluate_body(body)
    return Evaluation(lean_report(evaluation.result), evaluation.opa_version)


def lean_report(report: Any) -> dict[str, Any]:
    """The report with what a scan of 100k resources would hold hundreds of thousands of
    times taken out: each address is one shared string however many checks name it, and
    a finding keeps only its own fields (its check's title, controls and remediation,
    repeated in each finding, are in the check's metadata). EngineError when the report
    does not have the expected shape."""
    try:
        checks = [
            {
                **check,
                "evaluated": [_shared(a) for a in check["evaluated"]],
                "findings": [_lean(f) for f in check["findings"]],
            }
            for check in report["checks"]
        ]
        errors = list(report["errors"])
        return {"checks": checks, "errors": errors, "frameworks": report.get("frameworks", {})}
    except (KeyError, TypeError, AttributeError) as exc:
        raise EngineError(f"OPA report has an unexpected shape ({exc!r})") from exc


class _Merged:
    """Lean chunk reports merged as they arrive."""

    def __init__(self) -> None:
        self._checks: dict[str, dict[str, Any]] = {}
        self._errors: list[Any] = []
        self._frameworks: Any = {}
        self.opa_version = ""

    def add(self, evaluation: Evaluation) -> None:
        self.opa_version = self.opa_version or evaluation.opa_version
        self.add_report(evaluation.result)

    def add_report(self, report: dict[str, Any]) -> None:
        self._frameworks = report["frameworks"] or self._frameworks
        self._errors.extend(e for e in report["errors"] if e not in self._errors)
        for check in report["checks"]:
            try:
                package = check["package"]
            except (KeyError, TypeError) as exc:
                raise EngineError(f"OPA report has an unexpected shape ({exc!r})") from exc
            if package not in self._checks:
                self._checks[package] = {**check, "evaluated": [], "findings": []}
            self._checks[package]["evaluated"].extend(check["evaluated"])
            self._checks[package]["findings"].extend(check["findings"])

    def report(self) -> dict[str, Any]:
        for check in self._checks.values():
            check["evaluated"].sort()
        checks = list(self._checks.values())
        return {"checks": checks, "errors": self._errors, "frameworks": self._frameworks}


# What a finding says of itself (findings.parse_report reads these).
_FINDING_FIELDS = ("resource", "resource_type", "status", "message", "paths")


def _lean(finding: Any) -> Any:
    if not isinstance(finding, dict):
        return finding  # parse_report words the bad shape
    lean = {key: finding[key] for key in _FINDING_FIELDS if key in finding}
    for key in ("resource", "resource_type"):
        if key in lean:
            lean[key] = _shared(lean[key])
    return lean


def _shared(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value
