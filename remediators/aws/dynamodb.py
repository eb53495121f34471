"""DynamoDB tables."""

from __future__ import annotations

from typing import Any

from remediators.aws._common import AwsFixer, region_of
from remediators.base import Change


class TableDeletionProtection(AwsFixer):
    check_id = "AWS-DDB-003"
    resource_types = ("aws_dynamodb_table",)
    service = "dynamodb"
    actions = ("dynamodb:DescribeTable", "dynamodb:UpdateTable")

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        dynamodb = target.client("dynamodb", region_of(resource))
        table = dynamodb.describe_table(TableName=resource["name"])["Table"]
        return bool(table.get("DeletionProtectionEnabled", False))

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return True

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        dynamodb = target.client("dynamodb", region_of(resource))
        dynamodb.update_table(TableName=resource["name"], DeletionProtectionEnabled=bool(value))

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        name = resource["name"]
        return Change(
            summary=f"Turn on deletion protection of DynamoDB table {name}",
            setting="DeletionProtectionEnabled",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"DeleteTable on table {name} (a console delete, a Terraform destroy or "
                "replace, a cleanup job) fails until protection is turned off again",
            ),
        )


FIXERS = (TableDeletionProtection(),)
