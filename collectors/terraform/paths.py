"""Attribute paths of a plan: Terraform's `after_unknown` / `after_sensitive` trees as
dotted paths ("versioning.0.status"), and sensitive values masked."""

from __future__ import annotations

from typing import Any

SENSITIVE = "(sensitive value)"


def flagged_paths(tree: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every `true` leaf in an after_unknown/after_sensitive tree."""
    if tree is True:
        return [prefix] if prefix else []
    found: list[str] = []
    if isinstance(tree, dict):
        for key, child in tree.items():
            found += flagged_paths(child, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(tree, list):
        for index, child in enumerate(tree):
            found += flagged_paths(child, f"{prefix}.{index}" if prefix else str(index))
    return found


def mask(value: Any, path: list[str]) -> Any:
    """`value` with the strings at `path` (and under it) replaced by a placeholder, so no
    report can print them; booleans and numbers stay, so checks still read their type."""
    if not path:
        return _mask_all(value)
    head, rest = path[0], path[1:]
    if isinstance(value, dict) and head in value:
        return {**value, head: mask(value[head], rest)}
    if isinstance(value, list) and head.isdigit() and int(head) < len(value):
        index = int(head)
        return [*value[:index], mask(value[index], rest), *value[index + 1 :]]
    return value


def _mask_all(value: Any) -> Any:
    if isinstance(value, str):
        return SENSITIVE
    if isinstance(value, dict):
        return {k: _mask_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_all(v) for v in value]
    return value
