"""CloudWatch Logs log groups."""

from __future__ import annotations

from typing import Any

from compliance_opa.errors import EngineError
from remediators.aws._common import MINIMUM_LOG_RETENTION_DAYS, AwsFixer, region_of
from remediators.base import Change

# The only retention periods PutRetentionPolicy accepts, in days.
ALLOWED_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
    2557, 2922, 3288, 3653,
)  # fmt: skip


class LogGroupRetention(AwsFixer):
    check_id = "AWS-CWL-001"
    resource_types = ("aws_cloudwatch_log_group",)
    service = "logs"
    actions = ("logs:DeleteRetentionPolicy", "logs:DescribeLogGroups", "logs:PutRetentionPolicy")

    def __init__(self, minimum_days: int = MINIMUM_LOG_RETENTION_DAYS) -> None:
        self.minimum_days = minimum_days

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        """retentionInDays; None when events never expire."""
        logs = target.client("logs", region_of(resource))
        name = str(resource["name"])
        paginator = logs.get_paginator("describe_log_groups")
        for page in paginator.paginate(logGroupNamePrefix=name):
            for group in page.get("logGroups", []):
                if group.get("logGroupName") == name:
                    days = group.get("retentionInDays")
                    return int(days) if days else None
        raise EngineError(f"CloudWatch log group {name} not found in {region_of(resource)}")

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        if current is None:
            return None  # never expires: already longer than any minimum
        wanted = max(int(current), self.minimum_days)
        # The shortest period AWS accepts that is at least what is wanted.
        return next((d for d in ALLOWED_RETENTION_DAYS if d >= wanted), None)

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        logs = target.client("logs", region_of(resource))
        if value is None:
            logs.delete_retention_policy(logGroupName=str(resource["name"]))
            return
        logs.put_retention_policy(logGroupName=str(resource["name"]), retentionInDays=int(value))

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        name = resource["name"]
        kept = "for ever" if proposed is None else f"{proposed} days"
        before = "for ever" if current is None else f"{current} days"
        return Change(
            summary=f"Keep events of CloudWatch log group {name} {kept}",
            setting="retentionInDays",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"events of log group {name} are stored (and billed) {kept} instead of {before}",
                f"rolling back to {before} deletes the events older than that at once",
            ),
        )


FIXERS = (LogGroupRetention(),)
