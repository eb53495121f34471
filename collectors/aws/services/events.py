"""EventBridge event bus policies (DescribeEventBus): one aws_cloudwatch_event_bus_policy per
bus that has one. The statements Terraform's aws_cloudwatch_event_permission adds are part of
that document, so the collector does not repeat them as permissions: each would be judged
twice."""

from __future__ import annotations

from typing import Any

from collectors.aws.policies import policy_document
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    events = c.client("events")
    for bus in c.pages(events, "list_event_buses", "EventBuses"):
        c.each(f"event bus {bus['Name']}", _bus, c, events, bus["Name"])


def _bus(c: Collection, events: Any, name: str) -> None:
    bus = events.describe_event_bus(Name=name)
    if not bus.get("Policy"):
        return  # no policy: only the owning account may put events
    attributes = {"event_bus_name": name, "policy": policy_document(bus["Policy"])}
    c.add("aws_cloudwatch_event_bus_policy", f"{bus['Arn']}/policy", name, attributes)


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "events:DescribeEventBus",
    "events:ListEventBuses",
)

SERVICE = Service("events", collect, actions=ACTIONS)
