"""CloudWatch Logs log groups: retention and encryption."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    logs = c.client("logs")
    for group in c.pages(logs, "describe_log_groups", "logGroups"):
        name = group["logGroupName"]
        # The listing's "arn" ends in ":*"; the tagging API wants the ARN without it.
        arn = group.get("logGroupArn") or str(group["arn"]).removesuffix(":*")
        attributes: dict[str, Any] = {
            "name": name,
            "arn": arn,
            "retention_in_days": group.get("retentionInDays"),
            "kms_key_id": group.get("kmsKeyId"),
        }
        tags: dict[str, Any] = {}
        c.item(f"log group {name}", tags, "tags", _tags, logs, arn)
        c.add("aws_cloudwatch_log_group", arn, name, attributes, tags.get("tags", {}))


def _tags(logs: Any, arn: str) -> dict[str, str]:
    return tag_map(logs.list_tags_for_resource(resourceArn=arn).get("tags"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "logs:DescribeLogGroups",
    "logs:ListTagsForResource",
)

SERVICE = Service("logs", collect, actions=ACTIONS)
