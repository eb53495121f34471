"""SQS queues, with the queue policy (Terraform's aws_sqs_queue_policy) folded in as `policy`."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.policies import policy_document
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    sqs = c.client("sqs")
    for url in c.pages(sqs, "list_queues", "QueueUrls"):
        c.each(f"queue {url}", _queue, c, sqs, url)


def _queue(c: Collection, sqs: Any, url: str) -> None:
    found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    name = url.rstrip("/").rsplit("/", 1)[-1]
    attributes: dict[str, Any] = {
        "name": name,
        "arn": found.get("QueueArn"),
        "url": url,
        "kms_master_key_id": found.get("KmsMasterKeyId") or None,
        # JSON text, as Terraform keeps them.
        "redrive_policy": found.get("RedrivePolicy") or None,
        "redrive_allow_policy": found.get("RedriveAllowPolicy") or None,
        "policy": policy_document(found.get("Policy")),
    }
    if "SqsManagedSseEnabled" in found:  # not answered: left out, the check says undecided
        attributes["sqs_managed_sse_enabled"] = str(found["SqsManagedSseEnabled"]).lower() == "true"
    else:
        c.problems.append(f"SqsManagedSseEnabled not answered for queue {name}")
    tags: dict[str, Any] = {}
    c.item(f"queue {name}", tags, "tags", _tags, sqs, url)
    address = found.get("QueueArn") or c.arn("sqs", name)
    c.add("aws_sqs_queue", address, name, attributes, tags.get("tags", {}))


def _tags(sqs: Any, url: str) -> dict[str, str]:
    return tag_map(sqs.list_queue_tags(QueueUrl=url).get("Tags"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "sqs:GetQueueAttributes",
    "sqs:ListQueueTags",
    "sqs:ListQueues",
)

SERVICE = Service("sqs", collect, actions=ACTIONS)
