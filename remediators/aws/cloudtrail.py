"""CloudTrail trails, changed in their home region."""

from __future__ import annotations

from typing import Any

from remediators.aws._common import AwsFixer, attribute, region_of
from remediators.base import Change


def _trail(resource: dict[str, Any]) -> str:
    return attribute(resource, "arn", str(resource["name"]))


class LogFileValidation(AwsFixer):
    check_id = "AWS-CT-002"
    resource_types = ("aws_cloudtrail",)
    service = "cloudtrail"
    actions = ("cloudtrail:GetTrail", "cloudtrail:UpdateTrail")

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        cloudtrail = target.client("cloudtrail", region_of(resource))
        trail = cloudtrail.get_trail(Name=_trail(resource))["Trail"]
        return bool(trail.get("LogFileValidationEnabled", False))

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return True

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        cloudtrail = target.client("cloudtrail", region_of(resource))
        cloudtrail.update_trail(Name=_trail(resource), EnableLogFileValidation=bool(value))

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        name = resource["name"]
        bucket = attribute(resource, "s3_bucket_name", "its bucket")
        return Change(
            summary=f"Turn on log file validation of CloudTrail trail {name}",
            setting="LogFileValidationEnabled",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"trail {name} also writes an hourly signed digest file to {bucket} "
                "(CloudTrail-Digest/ prefix), a little more storage; log delivery is unchanged",
            ),
        )


FIXERS = (LogFileValidation(),)
