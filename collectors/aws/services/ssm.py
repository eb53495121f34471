"""SSM parameters: name, type and key, never the value (DescribeParameters does not return
it, and no call here reads one)."""

from __future__ import annotations

from typing import Any

from collectors.aws.keys import effective_key
from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    ssm = c.client("ssm")
    for parameter in c.pages(ssm, "describe_parameters", "Parameters"):
        c.each(f"parameter {parameter['Name']}", _parameter, c, ssm, parameter)


def _parameter(c: Collection, ssm: Any, parameter: dict[str, Any]) -> None:
    name = parameter["Name"]
    kind = parameter.get("Type", "")
    attributes: dict[str, Any] = {
        "name": name,
        "type": kind,
        "key_id": parameter.get("KeyId") if kind == "SecureString" else None,
        "tier": parameter.get("Tier"),
        "description": parameter.get("Description"),
    }
    what = f"parameter {name}"
    c.item(what, attributes, "key_id", effective_key, c, attributes["key_id"], "ssm")
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _tags, ssm, name)
    address = c.arn("ssm", f"parameter/{name.lstrip('/')}")
    c.add("aws_ssm_parameter", address, name, attributes, tags.get("tags", {}))


def _tags(ssm: Any, name: str) -> dict[str, str]:
    answer = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)
    return tag_map(answer.get("TagList"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "kms:DescribeKey",
    "ssm:DescribeParameters",
    "ssm:ListTagsForResource",
)

SERVICE = Service("ssm", collect, actions=ACTIONS)
