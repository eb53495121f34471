"""CloudWatch metric alarms: the metric each watches and the actions it takes."""

from __future__ import annotations

from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    cloudwatch = c.client("cloudwatch")
    for alarm in c.pages(cloudwatch, "describe_alarms", "MetricAlarms"):
        attributes = {
            "alarm_name": alarm["AlarmName"],
            "metric_name": alarm.get("MetricName"),  # None for a metric-math alarm
            "namespace": alarm.get("Namespace"),
            "actions_enabled": bool(alarm.get("ActionsEnabled", True)),
            "alarm_actions": list(alarm.get("AlarmActions", [])),
        }
        address = alarm.get("AlarmArn") or c.arn("cloudwatch", f"alarm:{alarm['AlarmName']}")
        c.add("aws_cloudwatch_metric_alarm", address, alarm["AlarmName"], attributes)


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "cloudwatch:DescribeAlarms",
)

SERVICE = Service("cloudwatch", collect, actions=ACTIONS)
