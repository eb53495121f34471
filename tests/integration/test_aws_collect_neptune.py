"""AWS collection end to end for Neptune: moto in server mode over loopback, one account
(the base credentials), two regions, collected by the real CLI and judged by the real OPA.

moto gaps, said where they matter (tests/aws_estate_neptune.py): IAM database
authentication cannot be turned on for a Neptune cluster in moto, and moto keeps no
AWS-managed KMS key. moto answers DescribeDBClusters and DescribeDBClusterSnapshots in one
page whatever MaxRecords says, so only the instance listing shows the collector following
pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collectors.aws import AwsOptions, collect_aws
from tests import aws_scan
from tests.aws_estate import Estate
from tests.aws_estate_neptune import ACCOUNT, AUDIT_GROUP, FILLER_INSTANCES, REGIONS, provision
from tests.aws_scan import Scanned, estate_fixtures
from tests.aws_support import MotoServer

SERVICES_SCANNED = ("neptune",)
TYPES = {"aws_neptune_cluster", "aws_neptune_cluster_instance", "aws_neptune_cluster_snapshot"}


moto, estate, scanned = estate_fixtures(provision, services=SERVICES_SCANNED, regions=REGIONS)


def _attributes(scanned: Scanned, kind: str, name: str) -> dict[str, Any]:
    [found] = [
        r["attributes"]
        for r in scanned.snapshot["resources"]
        if (r["type"], r["name"]) == (kind, name)
    ]
    return dict(found)


def test_the_scan_judges_every_collected_resource_exactly(scanned: Scanned, estate: Estate) -> None:
    assert estate.undecided == {}
    aws_scan.assert_judged_exactly(scanned, estate)


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
    aws_scan.assert_schema_valid(scanned.snapshot, tmp_path)
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
    calls, _ = aws_scan.calls_of(moto.url, services=SERVICES_SCANNED, regions=REGIONS)
    aws_scan.assert_least_privilege(calls, SERVICES_SCANNED)


def test_the_rds_service_leaves_neptune_to_its_own_service(
    moto: MotoServer, estate: Estate
) -> None:
    """The RDS API lists Neptune clusters, instances and snapshots too: collected by `rds`
    they would be judged a second time as aws_rds_cluster and aws_db_cluster_snapshot."""
    with aws_scan.base_credentials():
        snapshot = collect_aws(
            AwsOptions(regions=REGIONS, endpoint_url=moto.url, services=("rds",))
        )
    engines = {r["attributes"].get("engine") for r in snapshot["resources"]}
    assert "neptune" not in engines
    assert any("aurora" in r["address"] for r in snapshot["resources"])  # RDS's own stay
