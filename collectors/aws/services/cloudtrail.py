"""CloudTrail trails with their logging status, each collected in its home region."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    cloudtrail = c.client("cloudtrail")
    for trail in cloudtrail.describe_trails(includeShadowTrails=False).get("trailList", []):
        if trail.get("HomeRegion", c.region) != c.region:
            continue  # a multi-region trail is collected once, where it lives
        arn = trail["TrailARN"]
        attributes: dict[str, Any] = {
            "name": trail["Name"],
            "arn": arn,
            "s3_bucket_name": trail.get("S3BucketName", ""),
            "is_multi_region_trail": bool(trail.get("IsMultiRegionTrail", False)),
            "include_global_service_events": bool(trail.get("IncludeGlobalServiceEvents", False)),
            "enable_log_file_validation": bool(trail.get("LogFileValidationEnabled", False)),
            "kms_key_id": trail.get("KmsKeyId"),
            "cloud_watch_logs_group_arn": trail.get("CloudWatchLogsLogGroupArn"),
        }
        what = f"trail {trail['Name']}"
        c.item(what, attributes, "enable_logging", _is_logging, cloudtrail, arn)
        tags: dict[str, Any] = {}
        c.item(what, tags, "tags", _tags, cloudtrail, arn)
        c.add("aws_cloudtrail", arn, trail["Name"], attributes, tags.get("tags", {}))


def _is_logging(cloudtrail: Any, arn: str) -> bool:
    return bool(cloudtrail.get_trail_status(Name=arn).get("IsLogging", False))


def _tags(cloudtrail: Any, arn: str) -> dict[str, str]:
    listed = cloudtrail.list_tags(ResourceIdList=[arn]).get("ResourceTagList", [])
    return tag_map(listed[0].get("TagsList")) if listed else {}


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:ListTags",
)

SERVICE = Service("cloudtrail", collect, actions=ACTIONS)
