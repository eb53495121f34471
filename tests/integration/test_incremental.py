"""Incremental evaluation on the real OPA: a scan reusing cached verdicts reports exactly
what a cold, full scan reports, under random edits of a large inventory, edits of folded
resources (buckets and their split settings, parameter groups) and changed parameters
(data residency); on SQLite and PostgreSQL stores. Only changed resources go to OPA."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench.generate import inventory
from compliance_opa.app.evaluate import run_scan
from compliance_opa.app.incremental import CacheUse, Outcome, resource_hashes
from compliance_opa.domain.report import ScanReport
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.digest import folder_digest
from compliance_opa.engine.request_builder import ChunkSettings
from compliance_opa.inventory.load import load_inventories
from compliance_opa.state.store import StateStore, open_store
from compliance_opa.state.verdicts import VerdictCache, seal
from tests.conftest import POLICIES, OpaServer, run_cli, write_json
from tests.plan_builder import DEEP
from tests.plan_builder import plan as example_plan
from tests.store_fixtures import both_stores

RESIDENCY = "AWS-REG-001"  # personal data outside allowed_regions (a parameter)
# Several requests per evaluation, misses included: chunk boundaries must not matter.
CHUNKS = ChunkSettings(max_request_bytes=512 * 1024, workers=2)


postgres, store = both_stores("incremental")


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[StateStore]:
    opened = open_store(str(tmp_path / "state.db"))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def client(opa_server: OpaServer) -> Iterator[OpaClient]:
    """The policies' OPA, its digest known as the managed sidecar knows it."""
    opa = OpaClient(opa_server.url, known_digest=folder_digest(POLICIES))
    try:
        yield opa
    finally:
        opa.close()


def _incremental(
    paths: list[Path],
    client: OpaClient,
    store: StateStore,
    *,
    parameters: dict[str, Any] | None = None,
    read: bool = True,
) -> tuple[ScanReport, Outcome]:
    told: list[Outcome] = []
    report = run_scan(
        load_inventories(paths),
        client,
        parameters=parameters,
        chunking=CHUNKS,
        cache=CacheUse(VerdictCache(store, "scope"), POLICIES, read=read),
        on_cache=told.append,
    )
    [outcome] = told
    return _stable(report), outcome


def _cold(
    paths: list[Path], client: OpaClient, parameters: dict[str, Any] | None = None
) -> ScanReport:
    return _stable(
        run_scan(load_inventories(paths), client, parameters=parameters, chunking=CHUNKS)
    )


def _stable(report: ScanReport) -> ScanReport:
    return replace(report, started_at="", finished_at="")


def _changed(before: list[Path], after: list[Path]) -> int:
    """How many resources of ``after`` are new or differ from ``before`` (by their text)."""
    old = set(resource_hashes(load_inventories(before)).values())
    return sum(h not in old for h in resource_hashes(load_inventories(after)).values())


def _edit(document: dict[str, Any], rng: random.Random, share: float, round_: int) -> None:
    """Edit about ``share`` of the resources: attributes taken from another resource of the
    type, tags, region, removal, and copies under new addresses."""
    resources: list[dict[str, Any]] = document["resources"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for r in resources:
        by_type.setdefault(r["type"], []).append(r)
    for index in rng.sample(range(len(resources)), max(4, int(len(resources) * share))):
        resource = resources[index]
        kind = rng.choice(["attributes", "tags", "region", "remove", "copy"])
        if kind == "attributes":
            donor = rng.choice(by_type[resource["type"]])
            resource["attributes"] = copy.deepcopy(donor["attributes"])
        elif kind == "tags":
            tags = resource.setdefault("tags", {})
            tags["Environment"] = (
                "staging" if tags.get("Environment") == "production" else "production"
            )
        elif kind == "region" and "region" in resource:
            resource["region"] = rng.choice(["eu-west-1", "us-east-1", "ap-south-1"])
        elif kind == "remove":
            resource["address"] = None  # dropped below, after the sampling by index
        elif kind == "copy":
            twin = copy.deepcopy(resource)
            twin["address"] = f"{resource['address']}-copy-{round_}-{index}"
            resources.append(twin)
    document["resources"] = [r for r in resources if r["address"] is not None]


def test_incremental_scans_equal_cold_scans_under_random_edits(
    client: OpaClient, store: StateStore, tmp_path: Path
) -> None:
    rng = random.Random(18)  # noqa: S311 - reproducible edits, not secrets
    document = inventory(2500, 18)
    path = write_json(tmp_path / "v0.json", document)
    report, outcome = _incremental([path], client, store)  # empty cache: all evaluated
    assert (outcome.used, outcome.hits, outcome.evaluated) == (True, 0, 2500)
    assert report == _cold([path], client)
    previous = path
    for round_ in range(1, 5):
        _edit(document, rng, 0.02, round_)
        path = write_json(tmp_path / f"v{round_}.json", document)
        changed = _changed([previous], [path])
        report, outcome = _incremental([path], client, store)
        assert report == _cold([path], client), f"round {round_}"
        assert 0 < changed < 200
        assert outcome.evaluated == changed  # only what changed went to OPA
        assert outcome.hits == len(document["resources"]) - changed
        previous = path


AES = {"sse_algorithm": "AES256"}
# Each cross-resource family of the plan adapter: the folded-from resource's change
# reaches the resource it configures, so that one's text (its cache key) changes.
FAMILIES = {
    "bucket versioning": ("aws_s3_bucket_versioning.logs", "versioning_configuration",
                          [{"status": "Suspended"}], ["aws_s3_bucket.logs"]),
    "bucket public access block": ("aws_s3_bucket_public_access_block.logs",
                                   "restrict_public_buckets", False, ["aws_s3_bucket.logs"]),
    "bucket policy": ("aws_s3_bucket_policy.logs", "policy",
                      '{"Version":"2012-10-17","Statement":[]}', ["aws_s3_bucket.logs"]),
    "bucket logging": ("aws_s3_bucket_logging.logs", "target_bucket", "", ["aws_s3_bucket.logs"]),
    "bucket encryption": ("aws_s3_bucket_server_side_encryption_configuration.logs", "rule",
                          [{"apply_server_side_encryption_by_default": [AES]}],
                          ["aws_s3_bucket.logs"]),
    "parameter group": (f"{DEEP}.aws_db_parameter_group.tls", "parameter",
                        [{"name": "rds.force_ssl", "value": "0", "apply_method": "immediate"}],
                        [f"{DEEP}.aws_db_instance.main[0]", f"{DEEP}.aws_db_instance.main[1]"]),
}  # fmt: skip


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_folded_resource_misses_when_what_configures_it_changes(
    family: str, client: OpaClient, sqlite_store: StateStore, tmp_path: Path
) -> None:
    source, attribute, value, targets = FAMILIES[family]
    document = example_plan()
    before = write_json(tmp_path / "before.json", document)
    _incremental([before], client, sqlite_store)
    [change] = [c for c in document["resource_changes"] if c["address"] == source]
    change["change"]["after"][attribute] = value
    change["change"].get("after_unknown", {}).pop(attribute, None)
    after = write_json(tmp_path / "after.json", document)
    old, new = (resource_hashes(load_inventories([p])) for p in (before, after))
    assert {a for a in new if new[a] != old.get(a)} == set(targets)
    report, outcome = _incremental([after], client, sqlite_store)
    assert outcome.evaluated == len(targets)
    assert outcome.hits == len(new) - len(targets)
    cold = _cold([after], client)
    assert report == cold
    # The edit matters: some verdict on the target differs from before the edit.
    assert _verdicts(cold, targets) != _verdicts(_cold([before], client), targets)


def _verdicts(report: ScanReport, addresses: list[str]) -> set[tuple[str, str, str, str]]:
    return {
        (r.check.check_id, f.resource, f.status.value, f.message)
        for r in report.results
        for f in r.findings
        if f.resource in addresses
    }


def test_parameters_and_policy_digest_are_part_of_the_key(
    client: OpaClient, opa_server: OpaServer, store: StateStore, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "inv.json", inventory(600, 5))
    _incremental([path], client, store)
    _, warm = _incremental([path], client, store)
    assert (warm.hits, warm.evaluated) == (600, 0)
    # Data residency reads the allowed regions: other parameters, other verdicts.
    narrow = {"allowed_regions": ["eu-north-1"]}
    report, outcome = _incremental([path], client, store, parameters=narrow)
    assert (outcome.hits, outcome.evaluated) == (0, 600)
    assert report == _cold([path], client, narrow)
    residency = {f.resource for r in report.results if r.check.check_id == RESIDENCY
                 for f in r.findings}  # fmt: skip
    default = _cold([path], client)
    assert residency != {f.resource for r in default.results
                         if r.check.check_id == RESIDENCY for f in r.findings}  # fmt: skip
    # Another policy digest: nothing cached applies.
    other = OpaClient(opa_server.url, known_digest="sha256:" + "0" * 64)
    try:
        told: list[Outcome] = []
        use = CacheUse(VerdictCache(store, "scope"), POLICIES)
        run_scan(load_inventories([path]), other, chunking=CHUNKS, cache=use, on_cache=told.append)
    finally:
        other.close()
    assert (told[0].hits, told[0].evaluated) == (0, 600)


def test_a_damaged_row_is_a_miss_never_a_pass(
    client: OpaClient, store: StateStore, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "inv.json", inventory(400, 9))
    cold = _cold([path], client)
    _incremental([path], client, store)
    failing = sorted({f.resource for r in cold.results for f in r.findings})[:3]
    hashes = resource_hashes(load_inventories([path]))
    with store.transaction() as tx:
        [(context,)] = tx.rows("SELECT context FROM verdict_scopes WHERE scope = ?", ("scope",))
        # 1: a verdict emptied (its findings gone), its seal left: the seal refuses it.
        tx.execute(
            "UPDATE verdicts SET verdict = '[]' WHERE resource_hash = ?", (hashes[failing[0]],)
        )
        # 2: sealed again but not a verdict: the shape check refuses it.
        tx.execute("UPDATE verdicts SET verdict = ?, seal = ? WHERE resource_hash = ?",
                   ('{"pass": true}', seal(context, hashes[failing[1]], '{"pass": true}'),
                    hashes[failing[1]]))  # fmt: skip
        # 3: sealed again, well formed, but about another resource: refused too.
        forged = json.dumps([["checks.aws.s3.versioning", True, [{"resource": "elsewhere"}]]])
        resealed = seal(context, hashes[failing[2]], forged)
        tx.execute("UPDATE verdicts SET verdict = ?, seal = ? WHERE resource_hash = ?",
                   (forged, resealed, hashes[failing[2]]))  # fmt: skip
    report, outcome = _incremental([path], client, store)
    assert outcome.evaluated == 3
    assert report == cold


def test_no_cache_evaluates_everything_and_refreshes_the_cache(
    client: OpaClient, sqlite_store: StateStore, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "inv.json", inventory(300, 3))
    _, forced = _incremental([path], client, sqlite_store, read=False)
    assert (forced.hits, forced.evaluated) == (0, 300)
    _, again = _incremental([path], client, sqlite_store, read=False)
    assert (again.hits, again.evaluated) == (0, 300)
    report, warm = _incremental([path], client, sqlite_store)  # refreshed by the forced runs
    assert (warm.hits, warm.evaluated) == (300, 0)
    assert report == _cold([path], client)


def test_a_remote_opa_is_never_cached(
    opa_server: OpaServer, sqlite_store: StateStore, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "inv.json", inventory(100, 3))
    remote = OpaClient(opa_server.url)  # its data documents are not ours to hash
    try:
        for _ in range(2):
            told: list[Outcome] = []
            use = CacheUse(VerdictCache(sqlite_store, "scope"), POLICIES)
            run_scan(load_inventories([path]), remote, cache=use, on_cache=told.append)
            assert (told[0].used, told[0].hits) == (False, 0)
    finally:
        remote.close()
    with sqlite_store.reading() as tx:
        assert tx.rows("SELECT COUNT(*) FROM verdicts") == [(0,)]


def test_drift_reuses_verdicts_and_no_cache_forces_a_full_scan(tmp_path: Path) -> None:
    path = write_json(tmp_path / "inv.json", inventory(300, 4))
    state = str(tmp_path / "state.db")
    env = {"XDG_STATE_HOME": str(tmp_path / "xdg")}
    common = (
        "drift",
        path,
        "--state",
        state,
        "--scope",
        "s",
        "--fail-on",
        "none",
        "--format",
        "json",
    )
    first = run_cli(*common, env=env)
    second = run_cli(*common, env=env)
    forced = run_cli(*common, "--no-cache", env=env)
    assert "verdict cache" not in first.stderr
    assert "verdict cache: 300 resources unchanged, 0 evaluated" in second.stderr
    assert "verdict cache" not in forced.stderr
    findings = [json.loads(r.stdout)["findings"] for r in (first, second, forced)]
    assert findings[0] == findings[1] == findings[2]
    assert (first.code, second.code, forced.code) == (0, 0, 0)


def test_verdicts_of_another_opa_version_are_judged_again(
    client: OpaClient, sqlite_store: StateStore, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "inv.json", inventory(200, 6))
    _incremental([path], client, sqlite_store)
    with sqlite_store.transaction() as tx:
        tx.execute("UPDATE verdict_scopes SET opa_version = '0.1.0'")
    report, outcome = _incremental([path], client, sqlite_store)
    assert (outcome.hits, outcome.evaluated) == (0, 200)
    assert report == _cold([path], client)
    _, warm = _incremental([path], client, sqlite_store)  # kept under this OPA's version
    assert (warm.hits, warm.evaluated) == (200, 0)
