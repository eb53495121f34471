"""CloudTrail trails with their logging status and event selectors, each collected in its
home region, with the metric filters on the trail's CloudWatch Logs group and the alarms on
each filter's metric joined in (the CIS monitoring checks judge the trail alone)."""

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
        c.item(what, attributes, "selectors", _selectors, cloudtrail, arn)
        selectors = attributes.pop("selectors", None)
        if selectors is not None:
            attributes["event_selector"], attributes["advanced_event_selector"] = selectors
        group = attributes["cloud_watch_logs_group_arn"]
        c.item(what, attributes, "metric_filters", _metric_filters, c, group)
        tags: dict[str, Any] = {}
        c.item(what, tags, "tags", _tags, cloudtrail, arn)
        c.add("aws_cloudtrail", arn, trail["Name"], attributes, tags.get("tags", {}))


def _is_logging(cloudtrail: Any, arn: str) -> bool:
    return bool(cloudtrail.get_trail_status(Name=arn).get("IsLogging", False))


def _selectors(cloudtrail: Any, arn: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(event_selector, advanced_event_selector) in Terraform's shapes; a trail has one form."""
    answer = cloudtrail.get_event_selectors(TrailName=arn)
    basic = [
        {
            "read_write_type": s.get("ReadWriteType", "All"),
            "include_management_events": bool(s.get("IncludeManagementEvents", True)),
            "exclude_management_event_sources": list(s.get("ExcludeManagementEventSources", [])),
            "data_resource": [
                {"type": d.get("Type", ""), "values": list(d.get("Values", []))}
                for d in s.get("DataResources", [])
            ],
        }
        for s in answer.get("EventSelectors") or []
    ]
    advanced = [
        {
            "name": s.get("Name"),
            "field_selector": [
                {
                    "field": f.get("Field", ""),
                    **{key: list(f.get(api, [])) for api, key in _FIELD_LISTS.items()},
                }
                for f in s.get("FieldSelectors", [])
            ],
        }
        for s in answer.get("AdvancedEventSelectors") or []
    ]
    return basic, advanced


_FIELD_LISTS = {
    "Equals": "equals",
    "NotEquals": "not_equals",
    "StartsWith": "starts_with",
    "NotStartsWith": "not_starts_with",
    "EndsWith": "ends_with",
    "NotEndsWith": "not_ends_with",
}


def _metric_filters(c: Collection, group_arn: str | None) -> list[dict[str, Any]]:
    """The metric filters on the trail's log group, each with the alarms on its metric."""
    if not group_arn:
        return []  # no log group: nothing to filter (the checks fail on the group alone)
    # arn:aws:logs:region:account:log-group:NAME[:*]
    parts = group_arn.split(":")
    region = parts[3] or c.client_region
    name = ":".join(parts[6:]).removesuffix(":*")
    logs, cloudwatch = c.client("logs", region), c.client("cloudwatch", region)
    filters: list[dict[str, Any]] = []
    for found in c.pages(logs, "describe_metric_filters", "metricFilters", logGroupName=name):
        if found.get("logGroupName", name) != name:
            continue  # the listing matches by prefix when given only a name prefix
        for metric in found.get("metricTransformations", [])[:1]:  # at most one per filter
            filters.append(
                {
                    "name": found["filterName"],
                    "pattern": found.get("filterPattern", ""),
                    "metric_name": metric["metricName"],
                    "metric_namespace": metric["metricNamespace"],
                    "alarms": _alarms(cloudwatch, metric["metricName"], metric["metricNamespace"]),
                }
            )
    return filters


def _alarms(cloudwatch: Any, metric: str, namespace: str) -> list[dict[str, Any]]:
    # DescribeAlarmsForMetric does not page: every alarm on the metric comes at once.
    answer = cloudwatch.describe_alarms_for_metric(MetricName=metric, Namespace=namespace)
    return [
        {
            "name": alarm["AlarmName"],
            "actions": list(alarm.get("AlarmActions", [])),
            "actions_enabled": bool(alarm.get("ActionsEnabled", True)),
        }
        for alarm in answer.get("MetricAlarms", [])
    ]


def _tags(cloudtrail: Any, arn: str) -> dict[str, str]:
    listed = cloudtrail.list_tags(ResourceIdList=[arn]).get("ResourceTagList", [])
    return tag_map(listed[0].get("TagsList")) if listed else {}


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:ListTags",
    "cloudwatch:DescribeAlarmsForMetric",
    "logs:DescribeMetricFilters",
)

SERVICE = Service("cloudtrail", collect, actions=ACTIONS)
