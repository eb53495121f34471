"""Kinesis data streams and their server-side encryption."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    kinesis = c.client("kinesis")
    for name in c.pages(kinesis, "list_streams", "StreamNames"):
        c.each(f"stream {name}", _stream, c, kinesis, name)


def _stream(c: Collection, kinesis: Any, name: str) -> None:
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    attributes = {
        "name": name,
        "arn": summary["StreamARN"],
        "encryption_type": summary.get("EncryptionType") or "NONE",
        "kms_key_id": summary.get("KeyId") or None,
    }
    tags: dict[str, Any] = {}
    c.item(f"stream {name}", tags, "tags", _tags, kinesis, name)
    c.add("aws_kinesis_stream", summary["StreamARN"], name, attributes, tags.get("tags", {}))


def _tags(kinesis: Any, name: str) -> dict[str, str]:
    found: list[dict[str, Any]] = []
    start: dict[str, str] = {}
    while True:  # pages by the last key read, with no paginator in botocore
        page = kinesis.list_tags_for_stream(StreamName=name, **start)
        found += page.get("Tags", [])
        if not page.get("HasMoreTags") or not page.get("Tags"):
            return tag_map(found)
        start = {"ExclusiveStartTagKey": page["Tags"][-1]["Key"]}


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "kinesis:DescribeStreamSummary",
    "kinesis:ListStreams",
    "kinesis:ListTagsForStream",
)

SERVICE = Service("kinesis", collect, actions=ACTIONS)
