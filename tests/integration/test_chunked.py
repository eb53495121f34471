"""Chunked evaluation: a scan split across many OPA requests (run in parallel) reports
exactly what one query over the whole input reports, and each request stays under the
size limit an OPA server enforces."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.generate import inventory, plan
from compliance_opa.domain.answer import parse_report
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.evaluator import Evaluation
from compliance_opa.engine.request_builder import (
    ChunkSettings,
    evaluate_inventories,
    lean_report,
    request_bodies,
)
from compliance_opa.errors import EngineError, InputError
from compliance_opa.inventory.load import Inventory, load_inventories
from tests.conftest import (
    EXAMPLES,
    POLICIES,
    OpaServer,
    run_cli,
    start_opa,
    stop_opa,
    write_json,
)

SEED = 7


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every example, a generated snapshot (AWS and PostgreSQL, every check's types) and
    a generated Terraform plan (modules, unknown values, split S3 resources)."""
    folder = tmp_path_factory.mktemp("inputs")
    return [
        *sorted(EXAMPLES.glob("*.json")),
        *sorted((EXAMPLES / "library").glob("*.json")),
        write_json(folder / "generated.json", inventory(700, SEED)),
        write_json(folder / "plan.json", plan(300, SEED)),
    ]


@pytest.fixture(scope="module")
def loaded(mixed_inputs: list[Path]) -> list[Inventory]:
    return load_inventories(mixed_inputs)


def _resources(inventories: list[Inventory]) -> list[Any]:
    return [r for inv in inventories for r in inv.resources]


def _sources(inventories: list[Inventory]) -> list[Any]:
    return [s for inv in inventories for s in inv.document["sources"]]


def _raw_by_check(result: Any) -> dict[str, Any]:
    """Per check: its resources evaluated and its findings in a fixed order."""
    return {
        check["package"]: (
            check["evaluated"],
            sorted(json.dumps(f, sort_keys=True) for f in check["findings"]),
        )
        for check in result["checks"]
    }


def test_many_parallel_chunks_report_what_one_query_reports(
    opa_server: OpaServer, loaded: list[Inventory]
) -> None:
    client = OpaClient(opa_server.url)
    whole_settings = ChunkSettings(max_request_bytes=1 << 30, workers=1)
    chunked_settings = ChunkSettings(max_request_bytes=48 * 1024, workers=3)
    sources, resources = _sources(loaded), _resources(loaded)
    assert len(request_bodies(resources, sources, {}, whole_settings)) == 1
    assert len(request_bodies(resources, sources, {}, chunked_settings)) > 20

    whole = evaluate_inventories(client, loaded, None, whole_settings)
    chunked = evaluate_inventories(client, loaded, None, chunked_settings)

    assert _raw_by_check(chunked.result) == _raw_by_check(whole.result)
    assert parse_report(chunked.result) == parse_report(whole.result)
    assert chunked.result["frameworks"] == whole.result["frameworks"]
    # The comparison means something: the input fails and passes many checks.
    findings = sum(len(c["findings"]) for c in whole.result["checks"])
    assert findings > 200
    assert len({c["package"] for c in whole.result["checks"] if c["evaluated"]}) > 40


def test_parameters_reach_every_chunk(opa_server: OpaServer, loaded: list[Inventory]) -> None:
    client = OpaClient(opa_server.url)
    parameters = {"minimum_backup_retention_days": 35}
    whole = evaluate_inventories(client, loaded, parameters, ChunkSettings(1 << 30, 1))
    chunked = evaluate_inventories(client, loaded, parameters, ChunkSettings(48 * 1024, 2))
    default = evaluate_inventories(client, loaded, None, ChunkSettings(1 << 30, 1))
    assert _raw_by_check(chunked.result) == _raw_by_check(whole.result)
    assert _raw_by_check(whole.result) != _raw_by_check(default.result)


def test_bodies_hold_every_resource_once_under_the_limit(loaded: list[Inventory]) -> None:
    limit = 32 * 1024
    sources, resources = _sources(loaded), _resources(loaded)
    bodies = request_bodies(resources, sources, {"x": 1}, ChunkSettings(limit, 2))
    seen: list[Any] = []
    for body in bodies:
        assert len(body) <= limit
        document = json.loads(body)["input"]
        assert document["sources"] == sources
        assert document["parameters"] == {"x": 1}
        assert document["schema_version"] == "1"
        assert document["resources"]
        seen.extend(document["resources"])
    assert seen == resources


def test_numbers_past_64_bits_are_sent_whole(loaded: list[Inventory]) -> None:
    resource = {**_resources(loaded)[0], "attributes": {"huge": 2**70, "tiny": -(2**65)}}
    (body,) = request_bodies([resource], [], {}, ChunkSettings())
    assert json.loads(body)["input"]["resources"][0]["attributes"] == {
        "huge": 2**70,
        "tiny": -(2**65),
    }


def test_a_resource_over_the_limit_is_named(loaded: list[Inventory]) -> None:
    big = {**_resources(loaded)[0], "address": "aws_s3_bucket.huge", "attributes": {}}
    big["attributes"]["policy"] = {"text": "x" * 5000}
    with pytest.raises(InputError, match=r"resource 'aws_s3_bucket\.huge' is 5,\d{3} bytes"):
        request_bodies([big], [], {}, ChunkSettings(max_request_bytes=4096))


@pytest.fixture
def strict_opa() -> Iterator[OpaServer]:
    """An OPA that refuses request bodies over 256 KiB, as operators configure it."""
    server = start_opa(POLICIES, extra=("--set", "server.decoding.max_length=262144"))
    yield server
    stop_opa(server)


def test_scan_fits_an_opa_request_limit(
    strict_opa: OpaServer, opa_server: OpaServer, mixed_inputs: list[Path]
) -> None:
    assert sum(p.stat().st_size for p in mixed_inputs) > 512 * 1024
    common = ("scan", *map(str, mixed_inputs), "--format", "json", "--fail-on", "none")

    # One request over the limit: that OPA refuses it, and the scan says so in one line.
    refused = run_cli(*common, "--opa-url", strict_opa.url, "--opa-max-request-bytes", "8388608")
    assert refused.code == 3, refused.stderr
    assert "request body too large" in refused.stderr
    assert "(send smaller requests: --opa-max-request-bytes)" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    chunked = run_cli(*common, "--opa-url", strict_opa.url, "--opa-max-request-bytes", "200000")
    whole = run_cli(*common, "--opa-url", opa_server.url)
    assert chunked.code == whole.code == 0, chunked.stderr
    assert chunked.json()["findings"] == whole.json()["findings"]
    assert chunked.json()["summary"] == whole.json()["summary"]


class _Recorder:
    """Stands in for OPA: keeps each body and answers with an empty report."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def evaluate_body(self, body: bytes) -> Evaluation:
        self.bodies.append(body)
        return Evaluation({"checks": [], "errors": [], "frameworks": {}}, "test")


def test_a_spaced_out_resource_is_sent_compact_when_it_would_not_fit(tmp_path: Path) -> None:
    """A pretty-printed snapshot goes as written, but a resource whose written text is
    over the request limit and whose compact text is not is written again, not refused."""
    document = inventory(40, SEED)
    path = tmp_path / "spaced.json"
    path.write_text(json.dumps(document, indent=8))
    (loaded,) = load_inventories([path])
    assert loaded.streamed is not None
    compact = max(len(json.dumps(r, separators=(",", ":"))) for r in document["resources"])
    written = max(e.end - e.start for e in loaded.streamed.entries)
    assert written > compact + 200
    head = len(request_bodies([], loaded.sources, {}, ChunkSettings())[0])
    settings = ChunkSettings(max_request_bytes=head + compact + 100, workers=1)
    recorder = _Recorder()
    evaluate_inventories(recorder, [loaded], None, settings)  # type: ignore[arg-type]
    assert all(len(body) <= settings.max_request_bytes for body in recorder.bodies)
    sent = [r for body in recorder.bodies for r in json.loads(body)["input"]["resources"]]
    assert sent == document["resources"]


def test_a_snapshot_edited_while_it_is_sent_fails_the_scan(tmp_path: Path) -> None:
    """Edited in place after the first request, same size and time stamp: the digest of
    what was read says so before the last request goes."""
    path = write_json(tmp_path / "edited.json", inventory(300, SEED))
    (loaded,) = load_inventories([path])
    before = os.stat(path)
    settings = ChunkSettings(max_request_bytes=64 * 1024, workers=1)
    planned = len(request_bodies(loaded.resources, loaded.sources, {}, settings))

    class Editing(_Recorder):
        def evaluate_body(self, body: bytes) -> Evaluation:
            if not self.bodies:  # in the last resource: read after this request
                text = path.read_bytes()
                at = text.rindex(b"false")
                path.write_bytes(text[:at] + b"FALSE" + text[at + 5 :])
                os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
            return super().evaluate_body(body)

    editing = Editing()
    with pytest.raises(InputError, match=r"edited\.json: changed while it was being scanned"):
        evaluate_inventories(editing, [loaded], None, settings)  # type: ignore[arg-type]
    assert planned > 2
    assert 1 <= len(editing.bodies) < planned


def test_a_policy_error_is_reported_over_the_shape_it_leaves() -> None:
    report = lean_report({"checks": [{"package": "x"}], "errors": ["rego_type_error: x"]})
    with pytest.raises(EngineError, match="policy error: rego_type_error: x"):
        parse_report(report)
    with pytest.raises(EngineError, match="unexpected shape"):
        lean_report({"checks": [{"package": "x"}], "errors": []})
    with pytest.raises(EngineError, match="unexpected shape"):
        lean_report(None)
