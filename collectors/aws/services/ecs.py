"""ECS: clusters (their settings, such as Container Insights) and the latest ACTIVE
revision of every task definition family.

Not stored: environment variable values, commands, entry points, Docker labels, log
driver options and anything else in a container definition that can carry a credential.
Each container keeps what the checks judge (name, image, privileged, read-only root,
user, log driver, ports, mounts, capabilities) and the NAMES of its environment
variables and secrets: AWS-ECS-002 judges a variable by its name alone, so no value,
not even a placeholder, is kept.
"""

from __future__ import annotations

import json
from typing import Any

from collectors.aws.services.base import Collection, Service

# DescribeClusters takes at most 100 clusters a call.
_BATCH = 100


def collect(c: Collection) -> None:
    ecs = c.client("ecs")
    arns = list(c.pages(ecs, "list_clusters", "clusterArns"))
    for start in range(0, len(arns), _BATCH):
        answer = ecs.describe_clusters(
            clusters=arns[start : start + _BATCH], include=["SETTINGS", "TAGS"]
        )
        for cluster in answer.get("clusters", []):
            _cluster(c, cluster)
        for failure in answer.get("failures", []):
            reason, arn = failure.get("reason", "not described"), failure.get("arn", "?")
            c.problems.append(f"{reason} for cluster {arn}")
    # The latest ACTIVE revision of each family, from the ARNs (".../family:revision").
    latest: dict[str, tuple[int, str]] = {}
    for arn in c.pages(ecs, "list_task_definitions", "taskDefinitionArns", status="ACTIVE"):
        family, _, revision = arn.rsplit("/", 1)[-1].rpartition(":")
        if family and revision.isdigit() and int(revision) > latest.get(family, (0, ""))[0]:
            latest[family] = (int(revision), arn)
    for family, (_, arn) in sorted(latest.items()):
        c.each(f"task definition {family}", _task_definition, c, ecs, family, arn)


def _tags(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["key"]: t.get("value", "") for t in tags or [] if "key" in t}


def _cluster(c: Collection, cluster: dict[str, Any]) -> None:
    attributes = {
        "name": cluster["clusterName"],
        "setting": [
            {"name": s["name"], "value": s["value"]}
            for s in cluster.get("settings", [])
            if "name" in s and "value" in s
        ],
    }
    c.add(
        "aws_ecs_cluster",
        cluster["clusterArn"],
        cluster["clusterName"],
        attributes,
        _tags(cluster.get("tags")),
    )


def _task_definition(c: Collection, ecs: Any, family: str, arn: str) -> None:
    answer = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
    task = answer["taskDefinition"]
    attributes = {
        "family": task.get("family", family),
        "revision": task.get("revision"),
        "container_definitions": json.dumps(
            [_container(d) for d in task.get("containerDefinitions", [])], separators=(",", ":")
        ),
        "network_mode": task.get("networkMode"),
        "pid_mode": task.get("pidMode"),
        "ipc_mode": task.get("ipcMode"),
        "volume": [_volume(v) for v in task.get("volumes", [])],
    }
    c.add(
        "aws_ecs_task_definition",
        task["taskDefinitionArn"],
        family,
        attributes,
        _tags(answer.get("tags")),
    )


# Container settings kept as the API gives them: none can hold a credential.
_KEPT = (
    "name",
    "image",
    "essential",
    "privileged",
    "readonlyRootFilesystem",
    "user",
    "portMappings",
    "mountPoints",
    "volumesFrom",
)


def _container(definition: dict[str, Any]) -> dict[str, Any]:
    kept = {k: definition[k] for k in _KEPT if k in definition}
    for listed in ("environment", "secrets"):  # names only, never a value or its source
        if listed in definition:
            kept[listed] = [{"name": v["name"]} for v in definition[listed] if "name" in v]
    log = definition.get("logConfiguration")
    if log is not None:  # the driver only: options can hold tokens (splunk-token)
        kept["logConfiguration"] = {"logDriver": log.get("logDriver")}
    capabilities = (definition.get("linuxParameters") or {}).get("capabilities")
    if capabilities is not None:
        kept["linuxParameters"] = {"capabilities": capabilities}
    return kept


def _volume(volume: dict[str, Any]) -> dict[str, Any]:
    efs = volume.get("efsVolumeConfiguration")
    return {
        "name": volume.get("name"),
        "efs_volume_configuration": {
            "file_system_id": efs.get("fileSystemId"),
            "root_directory": efs.get("rootDirectory"),
            "transit_encryption": efs.get("transitEncryption"),
            "transit_encryption_port": efs.get("transitEncryptionPort"),
        }
        if efs
        else None,
    }


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "ecs:DescribeClusters",
    "ecs:DescribeTaskDefinition",
    "ecs:ListClusters",
    "ecs:ListTaskDefinitions",
)

SERVICE = Service("ecs", collect, actions=ACTIONS)
