"""YAML as we read it: PyYAML's safe loader, refusing a key given twice in one mapping.

PyYAML keeps the last of two equal keys without a word, so a waiver with `check:` given
twice, or a config with two `waivers:` sections, would quietly mean something else than
its first lines say. Every YAML file we read goes through here, with one error line
naming the file, the key and both lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

from compliance_opa.errors import InputError


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping key written twice (a key that overrides one
    brought in by a `<<` merge is written once, and stays allowed)."""

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            first_line: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in first_line:
                        raise yaml.constructor.ConstructorError(
                            None,
                            None,
                            f"key {key!r} given twice (first at line {first_line[key] + 1})",
                            key_node.start_mark,
                        )
                    first_line[key] = key_node.start_mark.line
                except TypeError:  # an unhashable key: SafeLoader words that itself
                    continue
        return super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]


def load(path: Path | str, text: str, loader: type[StrictLoader] = StrictLoader) -> Any:
    """The document in `text` (read from `path`); one InputError line for anything wrong."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(f"{path}: invalid YAML{where}: {problem}") from exc
    except ValueError as exc:  # PyYAML's date resolver on a non-date like 2026-13-01
        raise InputError(f"{path}: invalid YAML: {exc}") from exc
    except RecursionError:  # PyYAML composes and constructs nodes recursively
        raise InputError(f"{path}: invalid YAML: nested too deeply") from None
