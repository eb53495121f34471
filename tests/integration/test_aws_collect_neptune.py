"""AWS collection end to end for Neptune: moto in server mode over loopback, one account
(the base credentials), two regions, collected by the real CLI and judged by the real OPA.

moto gaps, said where they matter (tests/aws_estate_neptune.py): IAM database
authentication cannot be turned on for a Neptune cluster in moto, and moto keeps no
AWS-managed KMS key. moto answers DescribeDBClusters and DescribeDBClusterSnapshots in one
page whatever MaxRecords says, so only the instance listing shows the collector following
pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from collectors.aws import AwsOptions, collect_aws
from compliance_opa.inventory.load import load_inventory
from tests.aws_estate import Estate
from tests.aws_estate_neptune import ACCOUNT, AUDIT_GROUP, FILLER_INSTANCES, REGIONS, provision
from tests.aws_support import BASE_ENV, MotoServer, aws_env, least_privilege_gaps, serve_moto
from tests.conftest import CliResult, run_cli

SERVICES_SCANNED = ("neptune",)
REGION_ARGS = [arg for region in REGIONS for arg in ("--region", region)]
TYPES = {"aws_neptune_cluster", "aws_neptune_cluster_instance", "aws_neptune_cluster_snapshot"}


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@pytest.fixture(scope="module")
def estate(moto: MotoServer) -> Estate:
    moto.reset()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in BASE_ENV.items():
            patch.setenv(name, value)
        return provision(moto.url)


@dataclass(frozen=True)
class Scanned:
    result: CliResult
    snapshot: dict[str, Any]
    report: dict[str, Any]


@pytest.fixture(scope="module")
def scanned(moto: MotoServer, estate: Estate, tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    folder = tmp_path_factory.mktemp("aws-neptune")
    result = run_cli(
        "scan", "--collect", "aws", "--endpoint-url", moto.url, *REGION_ARGS,
        "--services", ",".join(SERVICES_SCANNED), "--save-snapshot", folder / "snapshot.json",
        "--format", "json", "--output", folder / "report.json",
        env=aws_env(), timeout=300,
    )  # fmt: skip
    assert result.code == 1, result.stderr  # findings at or above low
    return Scanned(
        result,
        json.loads((folder / "snapshot.json").read_text()),
        json.loads((folder / "report.json").read_text()),
    )


def _key(resource: dict[str, Any]) -> tuple[str, str | None, str, str]:
    return (resource["account"], resource["region"], resource["type"], resource["name"])


def _outcomes(scanned: Scanned, status: str) -> dict[tuple[str, str | None, str, str], set[str]]:
    by_address = {r["address"]: r for r in scanned.snapshot["resources"]}
    outcomes: dict[tuple[str, str | None, str, str], set[str]] = {
        _key(r): set() for r in scanned.snapshot["resources"]
    }
    for finding in scanned.report["findings"]:
        if finding["status"] == status:
            outcomes[_key(by_address[finding["resource"]])].add(finding["check_id"])
    return outcomes


def _attributes(scanned: Scanned, kind: str, name: str) -> dict[str, Any]:
    [found] = [
        r["attributes"]
        for r in scanned.snapshot["resources"]
        if (r["type"], r["name"]) == (kind, name)
    ]
    return dict(found)


def test_the_scan_judges_every_collected_resource_exactly(scanned: Scanned, estate: Estate) -> None:
    failed = _outcomes(scanned, "fail")
    assert set(failed) == set(estate.expected), "collected resources differ from those provisioned"
    wrong = {
        k: (sorted(estate.expected[k]), sorted(v))
        for k, v in failed.items()
        if v != estate.expected[k]
    }
    assert wrong == {}, "resource: (expected failures, actual failures)"
    undecided = {k: v for k, v in _outcomes(scanned, "indeterminate").items() if v}
    assert undecided == estate.undecided == {}


def test_only_neptune_is_collected_in_both_regions(scanned: Scanned) -> None:
    resources = scanned.snapshot["resources"]
    assert {r["type"] for r in resources} == TYPES
    assert {r["account"] for r in resources} == {ACCOUNT}
    assert {r["region"] for r in resources} == set(REGIONS)
    # The Aurora cluster shares the RDS API and is not Neptune's.
    assert not [r for r in resources if "aurora" in r["address"]]
    assert {r["attributes"]["engine"] for r in resources} == {"neptune"}


def test_the_cluster_attributes_and_tags(scanned: Scanned) -> None:
    good = _attributes(scanned, "aws_neptune_cluster", "good-graph")
    assert good["kms_key_arn"].startswith(f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/")
    assert good["neptune_cluster_parameter_group_name"] == AUDIT_GROUP
    assert good["enable_cloudwatch_logs_exports"] == ["audit", "slowquery"]
    assert good["backup_retention_period"] == 14
    bad = _attributes(scanned, "aws_neptune_cluster", "bad-graph")
    assert bad["kms_key_arn"] is None  # unencrypted: moto's placeholder key is not kept
    assert bad["neptune_cluster_parameter_group_name"].startswith("default.neptune")
    tagged = {
        r["name"]: r["tags"]
        for r in scanned.snapshot["resources"]
        if r["name"] in ("good-graph", "bad-graph", "good-graph-1", "bad-graph-1")
    }
    assert {name: tags.get("Environment") for name, tags in tagged.items()} == {
        name: "production" for name in tagged
    }
    assert "aurora-password-not-collected" not in json.dumps(scanned.snapshot)


def test_snapshot_is_schema_valid_and_sources_complete(scanned: Scanned, tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(scanned.snapshot))
    load_inventory(path)  # raises on any schema violation
    sources = {s["scope"]: s["status"] for s in scanned.snapshot["sources"]}
    assert sources == {f"{ACCOUNT}/neptune/{region}": "complete" for region in REGIONS}


def test_listings_follow_pages(scanned: Scanned) -> None:
    fillers = [
        r
        for r in scanned.snapshot["resources"]
        if r["type"] == "aws_neptune_cluster_instance" and r["name"].startswith("filler-")
    ]
    assert len(fillers) == FILLER_INSTANCES  # with the two others, beyond moto's page of 100


def test_every_call_is_declared_by_its_service(moto: MotoServer, estate: Estate) -> None:
    calls: set[tuple[str, str]] = set()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in BASE_ENV.items():
            patch.setenv(name, value)
        collect_aws(
            AwsOptions(regions=REGIONS, endpoint_url=moto.url, services=SERVICES_SCANNED),
            observer=lambda service, operation: calls.add((service, operation)),
        )
    undeclared, unused = least_privilege_gaps(calls, SERVICES_SCANNED)
    assert undeclared == set(), "calls their service does not declare"
    assert unused == set(), "declared actions the collector never uses"


def test_the_rds_service_leaves_neptune_to_its_own_service(
    moto: MotoServer, estate: Estate
) -> None:
    """The RDS API lists Neptune clusters, instances and snapshots too: collected by `rds`
    they would be judged a second time as aws_rds_cluster and aws_db_cluster_snapshot."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in BASE_ENV.items():
            patch.setenv(name, value)
        snapshot = collect_aws(
            AwsOptions(regions=REGIONS, endpoint_url=moto.url, services=("rds",))
        )
    engines = {r["attributes"].get("engine") for r in snapshot["resources"]}
    assert "neptune" not in engines
    assert any("aurora" in r["address"] for r in snapshot["resources"])  # RDS's own stay
