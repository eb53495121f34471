"""Build inventory resources from AWS answers: tags, data classes, owner, environment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collectors.aws.options import TagKeys

# The data classes the inventory schema knows; other tag values stay in the tags only.
DATA_CLASSES = ("pii", "phi", "pci", "confidential", "public")


def tag_map(tags: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None) -> dict[str, str]:
    """AWS tags in any of their shapes ([{Key, Value}], [{TagKey, TagValue}], {k: v})."""
    if not tags:
        return {}
    if isinstance(tags, Mapping):
        return {str(k): str(v) for k, v in tags.items()}
    result: dict[str, str] = {}
    for tag in tags:
        key = tag.get("Key", tag.get("TagKey"))
        value = tag.get("Value", tag.get("TagValue", ""))
        if key is not None:
            result[str(key)] = str(value or "")
    return result


def first_tag(tags: Mapping[str, str], keys: Iterable[str]) -> str | None:
    for key in keys:
        value = tags.get(key, "").strip()
        if value:
            return value
    return None


def data_classes(tags: Mapping[str, str], keys: TagKeys) -> list[str]:
    """Classes named by any classification tag (comma separated), in schema order."""
    named = {
        part.strip().lower()
        for key in keys.data_classes
        for part in tags.get(key, "").split(",")
        if part.strip()
    }
    return [c for c in DATA_CLASSES if c in named]


def resource(
    *,
    resource_type: str,
    address: str,
    account: str,
    region: str | None,
    name: str,
    tags: Mapping[str, str],
    attributes: dict[str, Any],
    keys: TagKeys,
) -> dict[str, Any]:
    return {
        "address": address,
        "type": resource_type,
        "provider": "aws",
        "account": account,
        "region": region,
        "name": name,
        "tags": dict(tags),
        "data_classes": data_classes(tags, keys),
        "owner": first_tag(tags, keys.owner),
        "environment": first_tag(tags, keys.environment),
        "attributes": attributes,
        "unknown": [],
        "sensitive": [],
    }
