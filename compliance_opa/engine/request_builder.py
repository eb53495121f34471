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

from compliance_opa.domain.answer import bad_shape
from compliance_opa.engine.client import MAX_WORKERS
from compliance_opa.engine.evaluator import Cancellable, Evaluation, Evaluator, KnownDigest
from compliance_opa.errors import InputError
from compliance_opa.inventory import envelope
from compliance_opa.inventory.load import Inventory
from compliance_opa.inventory.stream import StreamedResources
from compliance_opa.support.jsonbytes import dumps as _dumps

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
    client: Evaluator,
    inventories: Sequence[Inventory],
    parameters: dict[str, Any] | None = None,
    settings: ChunkSettings | None = None,
) -> Evaluation:
    """The scan report for every resource of the inventories, from as many requests as
    the size limit and the workers call for, merged into one. Bodies are built as the
    workers take them: at most one waits beyond those being evaluated."""
    settings = settings or ChunkSettings()
    parts, planned = _bodies(
        _Outgoing(inventories),
        [s for inv in inventories for s in inv.sources],
        parameters or {},
        settings,
    )
    try:
        return _evaluate(client, parts, iter(planned), settings)
    except BaseException:
        # The scan failed or was stopped (Ctrl-C, SIGTERM): requests other threads still
        # have in flight (chunks, the policy digest) would hold it until they end.
        if isinstance(client, Cancellable):
            client.cancel()
        raise


def _evaluate(
    client: Evaluator, parts: int, bodies: Iterator[bytes], settings: ChunkSettings
) -> Evaluation:
    first = next(bodies)
    second = next(bodies, None)
    if second is None:
        return _lean_evaluation(client, first)
    workers = min(settings.resolved_workers(), max(parts, 2))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="opa-chunk")
    pending: deque[Future[Evaluation]] = deque()
    merged = _Merged()
    try:
        for body in chain([first, second], bodies):
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


def evaluate_with_digest(
    client: Evaluator,
    inventories: Sequence[Inventory],
    parameters: dict[str, Any] | None = None,
    settings: ChunkSettings | None = None,
) -> tuple[Evaluation, str]:
    """evaluate_inventories, with the policy digest asked for meanwhile. A failure or an
    interrupt while either is awaited stops both at once: the digest's thread is never
    waited for (a slow OPA would hold an interrupted scan until its timeout)."""
    known = client.known_digest() if isinstance(client, KnownDigest) else None
    if known is not None:
        return evaluate_inventories(client, inventories, parameters, settings), known
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opa-digest")
    try:
        digest = pool.submit(client.policy_digest)
        evaluation = evaluate_inventories(client, inventories, parameters, settings)
        return evaluation, digest.result()
    except BaseException:
        if isinstance(client, Cancellable):
            client.cancel()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def request_bodies(
    resources: Sequence[Any],
    sources: Sequence[Any],
    parameters: dict[str, Any],
    settings: ChunkSettings,
) -> list[bytes]:
    """`{"input": ...}` bodies, each at most ``settings.max_request_bytes`` long, that
    together hold every resource once, in order."""
    return list(_bodies(_Outgoing(resources=resources), sources, parameters, settings)[1])


class _Outgoing:
    """The resources to send: addresses and sizes known up front, text read as sent.

    A streamed snapshot's resources go as the file spells them, unless one is longer than
    a request holds: that one is written again compactly, as the other inputs are."""

    def __init__(
        self, inventories: Sequence[Inventory] = (), resources: Sequence[Any] = ()
    ) -> None:
        self.addresses: list[Any] = []
        self._sizes: list[int] = []
        self._parts: list[StreamedResources | list[bytes]] = []
        for inventory in inventories:
            self.addresses.extend(inventory.addresses())
            if inventory.streamed is not None:
                self._sizes.extend(e.end - e.start for e in inventory.streamed.entries)
                self._parts.append(inventory.streamed)
            else:
                self._add_held(list(inventory.encoded_resources()))
        if resources:
            self.addresses.extend(
                r.get("address") if isinstance(r, dict) else None for r in resources
            )
            self._add_held([_dumps(r) for r in resources])

    def _add_held(self, encoded: list[bytes]) -> None:
        self._sizes.extend(len(e) for e in encoded)
        self._parts.append(encoded)

    def sizes(self, room: int) -> list[int]:
        """Each resource's length as it will be sent into requests of ``room`` bytes."""
        sizes = list(self._sizes)
        index = 0
        for part in self._parts:
            if isinstance(part, list):
                index += len(part)
                continue
            for entry in part.entries:
                if sizes[index] + 1 > room:  # spaced out, perhaps: what it would be compact
                    sizes[index] = part.compact_size(entry)
                index += 1
        return sizes

    def encoded(self, room: int) -> Iterator[bytes]:
        for part in self._parts:
            yield from part if isinstance(part, list) else part.encoded(compact_over=room - 1)


def _bodies(
    outgoing: _Outgoing,
    sources: Sequence[Any],
    parameters: dict[str, Any],
    settings: ChunkSettings,
) -> tuple[int, Iterator[bytes]]:
    """(How many bodies are planned, the bodies as they are built): consecutive resources
    in groups of about equal byte size, none over the request limit. Every resource is
    read (and a streamed file's digest checked) before the last body is given."""
    head, tail = envelope.body_parts(sources, parameters)
    room = settings.max_request_bytes - len(head) - len(tail)
    if room <= 0:
        raise InputError(
            f"the input's sources and parameters alone are {len(head) + len(tail):,} bytes"
            f" serialised, over the {settings.max_request_bytes:,}-byte OPA request limit"
            " (--opa-max-request-bytes)"
        )
    sizes = outgoing.sizes(room)
    for address, size in zip(outgoing.addresses, sizes, strict=True):
        if size + 1 > room:
            raise _too_big(address, size, settings)
    total = sum(size + 1 for size in sizes)
    parts = -(-total // room)  # the fewest the size limit allows
    if total >= PARALLEL_MIN_BYTES:
        parts = max(parts, settings.resolved_workers(), -(-total // CHUNK_TARGET_BYTES))
    parts = max(1, min(parts, len(sizes)))
    target = max(1, total // parts)

    def bodies() -> Iterator[bytes]:
        group: list[bytes] = []
        size, made = 0, 1
        encoded = outgoing.encoded(room)
        for address, item in zip(outgoing.addresses, encoded, strict=False):
            if len(item) + 1 > room:  # a resource re-serialised longer than it was written
                raise _too_big(address, len(item), settings)
            grown = size + len(item) + 1
            if group and (grown > room or (size >= target and made < parts)):
                yield head + b",".join(group) + tail
                group, size, made = [], 0, made + 1
                grown = len(item) + 1
            group.append(item)
            size = grown
        if next(encoded, None) is not None:  # runs the file's digest check too
            raise InputError("an input has more resources than when it was read")
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


def _lean_evaluation(client: Evaluator, body: bytes) -> Evaluation:
    """OPA's answer to one body, made lean by the worker that asked for it, so the full
    answer is dropped as soon as it is read."""
    evaluation = client.evaluate_body(body)
    return Evaluation(lean_report(evaluation.result), evaluation.opa_version)


def lean_report(report: Any) -> dict[str, Any]:
    """The report with what a scan of 100k resources would hold hundreds of thousands of
    times taken out: each address is one shared string however many checks name it, and
    a finding keeps only its own fields (its check's title, controls and remediation,
    repeated in each finding, are in the check's metadata). EngineError, in words, when
    the report does not have the expected shape."""
    errors = report.get("errors", _MISSING) if isinstance(report, dict) else None
    try:
        _expect(report, dict, "the report")
        _expect(errors, list, '"errors"')
        lean: dict[str, Any] = {"errors": errors}
        if "frameworks" in report:
            lean["frameworks"] = _expect(report["frameworks"], dict, '"frameworks"')
        checks = _expect(report.get("checks", _MISSING), list, '"checks"')
        lean["checks"] = [_lean_check(check, f"checks[{i}]") for i, check in enumerate(checks)]
    except _Shape as exc:
        if isinstance(errors, list) and errors:  # a policy error says more
            return {"checks": [], "errors": errors}
        raise bad_shape(exc) from None
    return lean


class _Shape(ValueError):
    """What is wrong with the report, in words (bad_shape shows the repr)."""

    def __repr__(self) -> str:
        return str(self)


_MISSING = object()
_KINDS = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def _expect(value: Any, kind: type, what: str) -> Any:
    if isinstance(value, kind):
        return value
    if value is _MISSING:
        raise _Shape(f"{what} is missing")
    raise _Shape(f"{what} is {_KINDS.get(type(value), 'a value')}, not {_KINDS[kind]}")


def _lean_check(check: Any, where: str) -> dict[str, Any]:
    _expect(check, dict, where)
    _expect(check.get("package", _MISSING), str, f"{where}.package")
    evaluated = _expect(check.get("evaluated", _MISSING), list, f"{where}.evaluated")
    findings = _expect(check.get("findings", _MISSING), list, f"{where}.findings")
    return {
        **check,
        "evaluated": [_address(a, f"{where}.evaluated") for a in evaluated],
        "findings": [_lean(f, f"{where}.findings") for f in findings],
    }


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
        if "frameworks" in report:  # the same in every chunk: the last one's is kept
            self._frameworks = report["frameworks"]
        self._errors.extend(e for e in report["errors"] if e not in self._errors)
        for check in report["checks"]:  # a lean report's: its shape is checked
            package = check["package"]
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


def _lean(finding: Any, where: str) -> dict[str, Any]:
    _expect(finding, dict, where + "[]")
    lean = {key: finding[key] for key in _FINDING_FIELDS if key in finding}
    for key in ("resource", "resource_type"):
        if key in lean:
            lean[key] = _shared(lean[key])
    return lean


def _address(value: Any, where: str) -> str:
    return sys.intern(_expect(value, str, where + "[]"))


def _shared(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value
