"""Attribute paths of a plan: Terraform's `after_unknown` / `after_sensitive` trees as
dotted paths ("versioning.0.status")."""

from __future__ import annotations

from typing import Any


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
