"""Security Hub: one hub per account and region, enabled or not, with the standards it runs."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

# Standards being removed or that failed to start check nothing.
INACTIVE_STANDARDS = {"DELETING", "FAILED"}


def collect(c: Collection) -> None:
    securityhub = c.client("securityhub")
    # Not subscribed: DescribeHub says so with InvalidAccessException.
    hub = c.optional(securityhub.describe_hub, {"InvalidAccessException"})
    address = (hub or {}).get("HubArn") or c.arn("securityhub", "hub/default")
    attributes: dict[str, Any] = {"enabled": hub is not None}
    tags: dict[str, Any] = {}
    if hub is None:
        attributes["standards"] = []
    else:
        c.item("hub", attributes, "standards", _standards, c, securityhub)
        c.item("hub", tags, "tags", _tags, securityhub, address)
    c.add("aws_securityhub_account", address, "default", attributes, tags.get("tags", {}))


def _standards(c: Collection, securityhub: Any) -> list[str]:
    subscriptions = c.pages(securityhub, "get_enabled_standards", "StandardsSubscriptions")
    return sorted(
        str(s["StandardsArn"])
        for s in subscriptions
        if s.get("StandardsStatus") not in INACTIVE_STANDARDS
    )


def _tags(securityhub: Any, arn: str) -> dict[str, str]:
    return tag_map(securityhub.list_tags_for_resource(ResourceArn=arn).get("Tags"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "securityhub:DescribeHub",
    "securityhub:GetEnabledStandards",
    "securityhub:ListTagsForResource",
)

SERVICE = Service("securityhub", collect, actions=ACTIONS)
