"""DynamoDB tables with point-in-time recovery and server-side encryption."""

from __future__ import annotations

from typing import Any

from collectors.aws.keys import effective_key
from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    dynamodb = c.client("dynamodb")
    for name in c.pages(dynamodb, "list_tables", "TableNames"):
        c.each(f"table {name}", _table, c, dynamodb, name)


def _table(c: Collection, dynamodb: Any, name: str) -> None:
    table = dynamodb.describe_table(TableName=name)["Table"]
    arn = table["TableArn"]
    sse = table.get("SSEDescription")
    attributes: dict[str, Any] = {
        "name": name,
        "billing_mode": table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED"),
        "deletion_protection_enabled": bool(table.get("DeletionProtectionEnabled", False)),
        # No SSEDescription: the table uses the AWS-owned key.
        "server_side_encryption": None
        if not sse or sse.get("Status") not in ("ENABLED", "UPDATING")
        else {"enabled": True, "kms_key_arn": sse.get("KMSMasterKeyArn")},
    }
    what = f"table {name}"
    if attributes["server_side_encryption"] is not None:
        sse_key = attributes["server_side_encryption"]
        c.item(what, sse_key, "kms_key_arn", effective_key, c, sse_key["kms_key_arn"], "dynamodb")
        if "kms_key_arn" not in sse_key:  # the key could not be told apart: unknown
            del attributes["server_side_encryption"]
    c.item(what, attributes, "point_in_time_recovery", _pitr, dynamodb, name)
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _tags, c, dynamodb, arn)
    c.add("aws_dynamodb_table", arn, name, attributes, tags.get("tags", {}))


def _pitr(dynamodb: Any, name: str) -> dict[str, bool]:
    description = dynamodb.describe_continuous_backups(TableName=name)[
        "ContinuousBackupsDescription"
    ]
    status = description.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
    return {"enabled": status == "ENABLED"}


def _tags(c: Collection, dynamodb: Any, arn: str) -> dict[str, str]:
    return tag_map(list(c.pages(dynamodb, "list_tags_of_resource", "Tags", ResourceArn=arn)))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "dynamodb:DescribeContinuousBackups",
    "dynamodb:DescribeTable",
    "dynamodb:ListTables",
    "dynamodb:ListTagsOfResource",
)

SERVICE = Service("dynamodb", collect, actions=ACTIONS)
