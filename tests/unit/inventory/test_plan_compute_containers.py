# ruff: noqa: E501 - plan fixtures read best one change per line
"""The plan adapter gives the compute and container checks the shapes they read:
single nested blocks folded into objects (metadata options, the EKS encryption and
network blocks, the ECR blocks, a launch template's `ebs` inside each mapping), lists
of blocks kept as lists, nullable booleans kept as the strings Terraform holds, an
ECS task's container definitions kept as their JSON text, a repository policy parsed
into an object, and unknown paths renamed to match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compliance_opa.inventory.load import load_inventory
from tests.conftest import run_cli, write_json
from tests.plan_builder import resource_change

CONTAINERS = json.dumps([{"name": "api", "image": "api:1", "privileged": False}])
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"}]})  # fmt: skip


def _resources(tmp_path: Path, changes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    document = {"format_version": "1.2", "resource_changes": changes}
    inventory = load_inventory(write_json(tmp_path / "plan.json", document))
    return {r["address"]: r for r in inventory.resources}


def test_compute_and_container_blocks_take_the_inventory_shape(tmp_path: Path) -> None:
    found = _resources(
        tmp_path,
        [
            resource_change("aws_launch_template.lt", "aws_launch_template", {
                "name": "lt",
                "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "required"}],
                "monitoring": [],
                "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"encrypted": "true", "volume_size": 40}]},
                                          {"device_name": "/dev/xvdb", "ebs": [{"encrypted": ""}]}],
                "network_interfaces": [{"device_index": 0, "associate_public_ip_address": "false"}],
            }, ["create"], {"metadata_options": [{"http_put_response_hop_limit": True}],
                            "block_device_mappings": [{"ebs": [{"kms_key_id": True}]}, {}]}),
            resource_change("aws_eks_cluster.main", "aws_eks_cluster", {
                "name": "main", "enabled_cluster_log_types": ["audit"],
                "encryption_config": [{"resources": ["secrets"], "provider": [{}]}],
                "vpc_config": [{"endpoint_public_access": True, "endpoint_private_access": False}],
            }, ["create"], {"encryption_config": [{"provider": [{"key_arn": True}]}],
                            "vpc_config": [{"public_access_cidrs": True}], "version": True}),
            resource_change("aws_ecs_task_definition.api", "aws_ecs_task_definition",
                            {"family": "api", "container_definitions": CONTAINERS, "volume": []}, ["create"]),
            resource_change("aws_ecr_repository.app", "aws_ecr_repository", {
                "name": "app", "image_tag_mutability": "MUTABLE",
                "encryption_configuration": [], "image_scanning_configuration": [{"scan_on_push": True}],
            }, ["create"]),
            resource_change("aws_ecr_repository_policy.app", "aws_ecr_repository_policy",
                            {"repository": "app", "policy": POLICY}, ["create"]),
        ],
    )  # fmt: skip

    template = found["aws_launch_template.lt"]
    assert template["attributes"]["metadata_options"] == {"http_endpoint": "enabled", "http_tokens": "required"}  # fmt: skip
    assert template["attributes"]["monitoring"] is None
    assert template["attributes"]["block_device_mappings"] == [
        {"device_name": "/dev/xvda", "ebs": {"encrypted": "true", "volume_size": 40}},
        {"device_name": "/dev/xvdb", "ebs": {"encrypted": ""}},
    ]
    assert template["attributes"]["network_interfaces"] == [{"device_index": 0, "associate_public_ip_address": "false"}]  # fmt: skip
    assert "metadata_options.http_put_response_hop_limit" in template["unknown"]
    assert "block_device_mappings.0.ebs.kms_key_id" in template["unknown"]

    cluster = found["aws_eks_cluster.main"]
    assert cluster["attributes"]["encryption_config"] == {"resources": ["secrets"], "provider": {}}
    assert cluster["attributes"]["vpc_config"] == {"endpoint_public_access": True, "endpoint_private_access": False}  # fmt: skip
    assert {"encryption_config.provider.key_arn", "vpc_config.public_access_cidrs", "version"} <= set(cluster["unknown"])  # fmt: skip

    task = found["aws_ecs_task_definition.api"]
    assert task["attributes"]["container_definitions"] == CONTAINERS  # parsed by the checks
    assert task["attributes"]["volume"] == []

    repository = found["aws_ecr_repository.app"]
    assert repository["attributes"]["encryption_configuration"] is None
    assert repository["attributes"]["image_scanning_configuration"] == {"scan_on_push": True}
    assert found["aws_ecr_repository_policy.app"]["attributes"]["policy"] == json.loads(POLICY)


def test_the_checks_judge_the_adapted_plan(tmp_path: Path) -> None:
    """The same shapes, through the CLI's engine: the template's unset encryption fails,
    the cluster's secrets pass and its public CIDRs are indeterminate."""
    document = {
        "format_version": "1.2",
        "resource_changes": [
            resource_change("aws_launch_template.lt", "aws_launch_template", {
                "name": "lt", "block_device_mappings": [{"device_name": "/dev/xvdb", "ebs": [{"encrypted": ""}]}],
            }, ["create"]),
            resource_change("aws_eks_cluster.main", "aws_eks_cluster", {
                "name": "main", "encryption_config": [{"resources": ["secrets"], "provider": [{"key_arn": "arn:aws:kms:eu-west-1:1:key/k"}]}],
                "vpc_config": [{"endpoint_public_access": True}],
            }, ["create"], {"vpc_config": [{"public_access_cidrs": True}]}),
        ],
    }  # fmt: skip
    plan = write_json(tmp_path / "plan.json", document)
    result = run_cli("plan", str(plan), "--format", "json", "--fail-on", "none")
    outcomes = {
        (f["check_id"], f["resource"], f["status"]) for f in _findings(json.loads(result.stdout))
    }
    assert ("AWS-EC2-104", "aws_launch_template.lt", "fail") in outcomes
    assert ("AWS-EKS-002", "aws_eks_cluster.main", "indeterminate") in outcomes
    assert not any(c == "AWS-EKS-001" for c, _, _ in outcomes)


def _findings(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, dict):
        if {"check_id", "resource", "status"} <= document.keys():
            return [document]
        return [f for value in document.values() for f in _findings(value)]
    if isinstance(document, list):
        return [f for value in document for f in _findings(value)]
    return []
