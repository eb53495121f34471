"""Fit Terraform's attribute values to the inventory schema of their type.

Terraform writes a nested block as a list (`versioning = [{...}]`) and a policy as a
JSON string; the inventory schema folds a single block into an object and holds
policies as objects. The schema says which, so one walk serves every type. Unknown
paths are rewritten the same way ("logging.0.target_bucket" -> "logging.target_bucket").
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from compliance_opa.support.bundled import inventory_schema_path


@cache
def attribute_schema(resource_type: str) -> dict[str, Any] | None:
    path = inventory_schema_path().parent / "resources" / f"{resource_type}.json"
    if not path.is_file():
        return None
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def known_types() -> frozenset[str]:
    folder = inventory_schema_path().parent / "resources"
    return frozenset(p.stem for p in folder.glob("aws_*.json"))


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return set(kind)
    if isinstance(kind, str):
        return {kind}
    return {"object"} if "properties" in schema else set()


def fit(value: Any, schema: dict[str, Any]) -> Any:
    """`value` in the shape the schema describes, where Terraform's shape differs."""
    kinds = _types(schema)
    if "object" in kinds and "array" not in kinds:
        if isinstance(value, list):  # a nested block: at most one in the inventory model
            value = value[0] if value else None
        elif isinstance(value, str):  # a JSON document held as a string (policies)
            value = _json_object(value)
        if isinstance(value, dict):
            properties = schema.get("properties", {})
            return {k: fit(v, properties[k]) if k in properties else v for k, v in value.items()}
        return value
    if "array" in kinds and isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [fit(item, schema["items"]) for item in value]
    return value


def fit_path(path: str, schema: dict[str, Any]) -> str:
    """An attribute path rewritten the way fit() rewrote the value it points into."""
    out: list[str] = []
    current: dict[str, Any] | None = schema
    parts = path.split(".")
    index = 0
    while index < len(parts):
        part = parts[index]
        properties = (current or {}).get("properties", {})
        if part in properties:
            out.append(part)
            current = properties[part]
            kinds = _types(current)
            # A block list folded into an object: drop the list index that follows.
            if (
                "object" in kinds
                and "array" not in kinds
                and index + 1 < len(parts)
                and parts[index + 1].isdigit()
            ):
                index += 1
        elif part.isdigit() and current is not None and "array" in _types(current):
            out.append(part)
            items = current.get("items")
            current = items if isinstance(items, dict) else None
        else:
            out.extend(parts[index:])
            break
        index += 1
    return ".".join(out)


def _json_object(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text  # left as it is; the schema check reports it
