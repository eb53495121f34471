"""Chunked evaluation: a scan split across many OPA requests (run in parallel) reports
exactly what one query over the whole input reports, and each request stays under the
size limit an OPA server enforces."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.generate import inventory, plan
from compliance_opa.chunked import ChunkSettings, evaluate_inventories, request_bodies
from compliance_opa.errors import InputError
from compliance_opa.findings import parse_report
from compliance_opa.inventory import Inventory, load_inventories
from compliance_opa.opa_client import OpaClient
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
