"""AWS collection end to end for the compute, network and container services (compute,
vpc, eks, ecs, ecr): moto in server mode over real HTTP on loopback, one account, two
regions, collected and judged by the real CLI on the real OPA."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from collectors.aws.services import SERVICES as ALL_SERVICES
from tests import aws_scan
from tests.aws_estate import Estate
from tests.aws_estate_compute import (
    ACCOUNT,
    COMMAND_SECRET,
    ENV_SECRET,
    LOG_TOKEN,
    MOTO_ENV,
    REGIONS,
    SERVICES,
    USER_DATA_SECRET,
    provision,
)
from tests.aws_scan import Scanned, estate_fixtures
from tests.aws_support import BASE_ENV, MotoServer, aws_env
from tests.conftest import run_cli

TYPES = {
    "aws_ami",
    "aws_ami_launch_permission",
    "aws_autoscaling_group",
    "aws_default_network_acl",
    "aws_default_vpc",
    "aws_ebs_snapshot",
    "aws_ecr_repository",
    "aws_ecr_repository_policy",
    "aws_ecs_cluster",
    "aws_ecs_task_definition",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_instance",
    "aws_launch_configuration",
    "aws_launch_template",
    "aws_network_acl",
    "aws_subnet",
    "aws_vpc",
}


# MOTO_ENV is read by the server process at start.
moto, estate, scanned = estate_fixtures(
    provision, services=SERVICES, regions=REGIONS, moto_env=MOTO_ENV
)


def _resource(scanned: Scanned, kind: str, name: str, region: str = REGIONS[0]) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        r
        for r in scanned.snapshot["resources"]
        if (r["type"], r["name"], r["region"]) == (kind, name, region)
    ]
    assert len(found) == 1, (kind, name, region)
    return found[0]


def test_the_scan_judges_every_collected_resource_exactly(scanned: Scanned, estate: Estate) -> None:
    failed = aws_scan.outcomes(scanned, "fail")
    assert len(failed) == len(scanned.snapshot["resources"]), "two resources share a name"
    # Every value the checks read is collected: nothing is left undecided.
    assert estate.undecided == {}
    aws_scan.assert_judged_exactly(scanned, estate)


def test_every_type_in_both_regions_of_the_account(scanned: Scanned) -> None:
    resources = scanned.snapshot["resources"]
    assert {r["type"] for r in resources} == TYPES
    for region in REGIONS:
        assert {r["type"] for r in resources if r["region"] == region} == TYPES
    assert {r["account"] for r in resources} == {ACCOUNT}
    for resource in resources:  # the ARN names the resource's account and region
        parts = resource["address"].split(":")
        assert (parts[3], parts[4]) == (resource["region"], ACCOUNT), resource["address"]


def test_snapshot_is_schema_valid_and_coverage_complete(scanned: Scanned, tmp_path: Path) -> None:
    aws_scan.assert_schema_valid(scanned.snapshot, tmp_path)
    assert not any(ALL_SERVICES[name].is_global for name in SERVICES)
    aws_scan.assert_sources_complete(scanned, [ACCOUNT], SERVICES, REGIONS)


def test_attributes_take_the_terraform_shapes(scanned: Scanned) -> None:
    good = _resource(scanned, "aws_instance", "good-instance")["attributes"]
    assert good["iam_instance_profile"] == "good-profile"  # the name, not the ARN
    assert good["root_block_device"]["encrypted"] is True
    assert [d["device_name"] for d in good["ebs_block_device"]] == ["/dev/sdf"]
    assert good["metadata_options"]["http_tokens"] == "required"
    # The latest version of a launch template is judged, not the first (default) one.
    template = _resource(scanned, "aws_launch_template", "bad-template")["attributes"]
    assert (template["latest_version"], template["default_version"]) == (2, 1)
    assert template["metadata_options"]["http_tokens"] == "optional"
    assert template["network_interfaces"][0]["associate_public_ip_address"] is True
    asg = _resource(scanned, "aws_autoscaling_group", "good-asg")["attributes"]
    assert asg["launch_configuration"] is None
    assert asg["launch_template"]["name"] == "good-template"
    vpc = _resource(scanned, "aws_vpc", "good-vpc")["attributes"]
    assert vpc["is_default"] is False
    assert [log["traffic_type"] for log in vpc["flow_logs"]] == ["ALL"]
    assert sorted(e["service_name"] for e in vpc["vpc_endpoints"]) == [
        f"com.amazonaws.{REGIONS[0]}.kms",
        f"com.amazonaws.{REGIONS[0]}.s3",
    ]
    acl = _resource(scanned, "aws_network_acl", "bad-acl")["attributes"]
    assert acl["ingress"] == [
        {
            "protocol": "6",
            "rule_no": 100,
            "action": "allow",
            "cidr_block": "0.0.0.0/0",
            "ipv6_cidr_block": None,
            "from_port": 3389,
            "to_port": 3389,
        },
        {
            "protocol": "6",
            "rule_no": 110,
            "action": "allow",
            "cidr_block": None,
            "ipv6_cidr_block": "::/0",
            "from_port": 5432,
            "to_port": 5432,
        },
    ]
    assert acl["egress"] == []  # the final deny-all rule (32767) is not a Terraform block
    cluster = _resource(scanned, "aws_ecs_cluster", "good-ecs")["attributes"]
    assert cluster["setting"] == [{"name": "containerInsights", "value": "enabled"}]
    task = _resource(scanned, "aws_ecs_task_definition", "bad-task")["attributes"]
    assert task["revision"] == 2  # revision 3 is INACTIVE
    assert (task["pid_mode"], task["ipc_mode"], task["network_mode"]) == ("host",) * 3
    policy = _resource(scanned, "aws_ecr_repository_policy", "bad-repo")["attributes"]
    assert policy["policy"]["Statement"][0]["Principal"] == {"AWS": "*"}


def test_container_definitions_keep_names_never_values(scanned: Scanned) -> None:
    text = json.dumps(scanned.snapshot)
    never = [ENV_SECRET, LOG_TOKEN, COMMAND_SECRET, USER_DATA_SECRET]
    assert [value for value in never if value in text] == []
    for secret_field in ("valueFrom", "splunk-token", "command", "UserData", "user_data"):
        assert secret_field not in text
    task = _resource(scanned, "aws_ecs_task_definition", "bad-task")["attributes"]
    worker, sidecar = json.loads(task["container_definitions"])
    assert worker["environment"] == [{"name": "API_TOKEN"}]  # the name AWS-ECS-002 judges
    assert worker["logConfiguration"] == {"logDriver": "splunk"}
    assert worker["privileged"] is True
    assert "logConfiguration" not in sidecar
    good = _resource(scanned, "aws_ecs_task_definition", "good-task")["attributes"]
    [api] = json.loads(good["container_definitions"])
    assert api["secrets"] == [{"name": "DB_PASSWORD"}]


def test_every_call_is_allowed_by_the_least_privilege_policy(
    moto: MotoServer, estate: Estate
) -> None:
    calls, snapshot = aws_scan.calls_of(moto.url, services=SERVICES, regions=REGIONS)
    assert {s["status"] for s in snapshot["sources"]} == {"complete"}
    aws_scan.assert_least_privilege(calls, SERVICES)


def test_listings_follow_every_page(moto: MotoServer, estate: Estate, tmp_path: Path) -> None:
    # moto answers ListClusters (EKS) 100 at a time, as AWS does; DescribeClusters (ECS)
    # takes at most 100 clusters a call.
    region = "eu-central-1"
    session = boto3.Session(
        aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=BASE_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name=region,
    )
    eks = session.client("eks", endpoint_url=moto.url)
    ecs = session.client("ecs", endpoint_url=moto.url)
    names = [f"paged-{index:03d}" for index in range(105)]
    for name in names:
        eks.create_cluster(
            name=name,
            version="1.33",
            roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks",
            resourcesVpcConfig={"subnetIds": []},
        )
        ecs.create_cluster(clusterName=name)
    assert "nextToken" in eks.list_clusters()
    output = tmp_path / "snapshot.json"
    result = run_cli(
        "collect", "aws", "--endpoint-url", moto.url, "--region", region,
        "--services", "eks,ecs", "--output", output, env=aws_env(), timeout=300,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    snapshot = json.loads(output.read_text())
    for kind in ("aws_eks_cluster", "aws_ecs_cluster"):
        assert sorted(r["name"] for r in snapshot["resources"] if r["type"] == kind) == names
