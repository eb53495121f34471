"""Attribute paths of a plan: Terraform's `after_unknown` / `after_sensitive` trees as
dotted paths ("versioning.0.status"), and JSON paths into the plan file for errors.

Terraform writes these trees in the shape of the value they describe: `true` or `false`
for a whole value, an object for an object, a list for a list. They are read strictly:
a value we cannot tell is sensitive or known must never be printed or judged as if it
were not. So `true` for the whole resource flags every attribute, and any other shape
(a string, a number, null inside the tree, a list where the value is an object) raises
UnreadableTree, naming the place in the tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,99}")


class UnreadableTree(ValueError):
    """A tree that is not Terraform's; ``where`` is the JSON path of the bad node below the
    tree (".tags", "[0]", "" for the tree itself)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(problem)
        self.where = where
        self.problem = problem


def step(key: str | int) -> str:
    """One step of a JSON path: `[3]`, `.name`, or `["odd key"]` (escaped, shortened)."""
    if isinstance(key, int):
        return f"[{key}]"
    if _PLAIN_KEY.fullmatch(key):
        return f".{key}"
    shown = key if len(key) <= 100 else key[:100] + "..."
    return f"[{json.dumps(shown)}]"  # ASCII only: control characters and escapes spelled out


def kind(value: Any) -> str:
    """The JSON type of a value, for messages (never the value itself: it may be secret)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def flagged_paths(tree: Any, value: dict[str, Any], whole: Iterable[str]) -> list[str]:
    """Dotted paths of every `true` leaf of an after_unknown/after_sensitive tree over
    ``value`` (the resource's `after`). `true` for the whole value flags each name of
    ``whole``; an absent tree (None: plans before Terraform 0.15 write no
    after_sensitive) or `false` flags nothing."""
    if tree is None or tree is False:
        return []
    if tree is True:
        return sorted(set(whole))
    if not isinstance(tree, dict):
        raise UnreadableTree(
            "", f"expected true, false or an object of attributes, got {kind(tree)}"
        )
    found: list[str] = []
    _walk(tree, value, "", "", found)
    return found


def _walk(tree: Any, value: Any, prefix: str, where: str, found: list[str]) -> None:
    if isinstance(tree, bool):
        if tree:
            found.append(prefix)
        return
    if isinstance(tree, dict):
        if value is not None and not isinstance(value, dict):
            raise UnreadableTree(where, f"an object, but the value it describes is {kind(value)}")
        for key, child in tree.items():
            inner = value.get(key) if isinstance(value, dict) else None
            if "." in key:  # a map key a dotted path cannot name: flag the whole map
                if not prefix:
                    raise UnreadableTree(where + step(key), "an attribute name with a dot")
                if _flags_any(child, inner, where + step(key)):
                    found.append(prefix)
                continue
            _walk(child, inner, f"{prefix}.{key}" if prefix else key, where + step(key), found)
    elif isinstance(tree, list):
        if value is not None and not isinstance(value, list):
            raise UnreadableTree(where, f"a list, but the value it describes is {kind(value)}")
        for index, child in enumerate(tree):
            inner = value[index] if isinstance(value, list) and index < len(value) else None
            _walk(
                child,
                inner,
                f"{prefix}.{index}" if prefix else str(index),
                f"{where}[{index}]",
                found,
            )
    else:
        raise UnreadableTree(where, f"expected true, false, an object or a list, got {kind(tree)}")


def _flags_any(tree: Any, value: Any, where: str) -> bool:
    """Whether the (well-formed) tree flags anything."""
    found: list[str] = []
    _walk(tree, value, "-", where, found)
    return bool(found)
