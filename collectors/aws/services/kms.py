"""KMS keys with rotation status and key policy (customer and AWS-managed keys)."""

from __future__ import annotations

import json
from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    kms = c.client("kms")
    for listed in c.pages(kms, "list_keys", "Keys"):
        c.each(f"key {listed['KeyId']}", _key, c, kms, listed["KeyId"])


def _key(c: Collection, kms: Any, key_id: str) -> None:
    key = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    if key.get("KeyState") == "PendingDeletion":
        return  # cannot be used, and rotation or policy calls would fail on it
    attributes: dict[str, Any] = {
        "key_id": key["KeyId"],
        "arn": key["Arn"],
        "description": key.get("Description", ""),
        "key_manager": key.get("KeyManager", "CUSTOMER"),
        "key_usage": key.get("KeyUsage", "ENCRYPT_DECRYPT"),
        "customer_master_key_spec": key.get("KeySpec", key.get("CustomerMasterKeySpec", "")),
        "is_enabled": bool(key.get("Enabled", False)),
        "multi_region": bool(key.get("MultiRegion", False)),
    }
    what = f"key {key['KeyId']}"
    if attributes["customer_master_key_spec"] == "SYMMETRIC_DEFAULT":
        c.item(what, attributes, "rotation", _rotation, kms, key["KeyId"])
        rotation = attributes.pop("rotation", None)
        if rotation is not None:
            attributes["enable_key_rotation"], attributes["rotation_period_in_days"] = rotation
    else:  # asymmetric and HMAC keys cannot rotate automatically
        attributes["enable_key_rotation"], attributes["rotation_period_in_days"] = False, None
    c.item(what, attributes, "policy", _policy, kms, key["KeyId"])
    tags: dict[str, Any] = {}
    if attributes["key_manager"] == "CUSTOMER":
        c.item(what, tags, "tags", _tags, c, kms, key["KeyId"])
    c.add("aws_kms_key", key["Arn"], key["KeyId"], attributes, tags.get("tags", {}))


def _rotation(kms: Any, key_id: str) -> tuple[bool, int | None]:
    answer = kms.get_key_rotation_status(KeyId=key_id)
    return bool(answer.get("KeyRotationEnabled", False)), answer.get("RotationPeriodInDays")


def _policy(kms: Any, key_id: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
    )
    return document


def _tags(c: Collection, kms: Any, key_id: str) -> dict[str, str]:
    return tag_map(list(c.pages(kms, "list_resource_tags", "Tags", KeyId=key_id)))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListKeys",
    "kms:ListResourceTags",
)

SERVICE = Service("kms", collect, actions=ACTIONS)
