"""SNS topics, with the topic policy (Terraform's aws_sns_topic_policy) folded in as `policy`."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.policies import policy_document
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    sns = c.client("sns")
    for topic in c.pages(sns, "list_topics", "Topics"):
        c.each(f"topic {topic['TopicArn']}", _topic, c, sns, topic["TopicArn"])


def _topic(c: Collection, sns: Any, arn: str) -> None:
    found = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    name = arn.rsplit(":", 1)[-1]
    attributes = {
        "name": name,
        "arn": arn,
        "kms_master_key_id": found.get("KmsMasterKeyId") or None,
        "policy": policy_document(found.get("Policy")),
    }
    tags: dict[str, Any] = {}
    c.item(f"topic {name}", tags, "tags", _tags, sns, arn)
    c.add("aws_sns_topic", arn, name, attributes, tags.get("tags", {}))


def _tags(sns: Any, arn: str) -> dict[str, str]:
    return tag_map(sns.list_tags_for_resource(ResourceArn=arn).get("Tags"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "sns:GetTopicAttributes",
    "sns:ListTagsForResource",
    "sns:ListTopics",
)

SERVICE = Service("sns", collect, actions=ACTIONS)
