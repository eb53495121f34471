"""KMS customer-managed symmetric keys."""

from __future__ import annotations

from typing import Any

from remediators.aws._common import AwsFixer, attribute, region_of
from remediators.base import Change


def _key(resource: dict[str, Any]) -> str:
    return attribute(resource, "arn", str(resource["name"]))


class KeyRotation(AwsFixer):
    check_id = "AWS-KMS-001"
    resource_types = ("aws_kms_key",)
    service = "kms"
    actions = ("kms:DisableKeyRotation", "kms:EnableKeyRotation", "kms:GetKeyRotationStatus")

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        kms = target.client("kms", region_of(resource))
        return bool(kms.get_key_rotation_status(KeyId=_key(resource))["KeyRotationEnabled"])

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return True

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        kms = target.client("kms", region_of(resource))
        if value:
            kms.enable_key_rotation(KeyId=_key(resource))
        else:
            kms.disable_key_rotation(KeyId=_key(resource))

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        name = resource["name"]
        return Change(
            summary=f"Turn on automatic yearly rotation of KMS key {name}",
            setting="KeyRotationEnabled",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"KMS key {name} gets new key material every year; data encrypted before "
                "stays decryptable (old material is kept), callers need no change",
                f"each rotation of key {name} adds to its monthly key charge",
            ),
        )


FIXERS = (KeyRotation(),)
