"""Loading inventory snapshots: size, JSON, nesting and schema checks before evaluation.

Every check raises InputError with the file and, for schema violations, the
JSON path of the first bad field, so bad input never reaches OPA.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from compliance_opa.errors import InputError
from compliance_opa.resources import inventory_schema_path

SCHEMA_VERSION = "1"
# Deeper than any real inventory (IAM policy documents stay under 20 levels);
# far below the depth at which parsers and OPA's decoder struggle.
MAX_DEPTH = 64
# Per scan, all inputs together; below OPA's default request body limit.
DEFAULT_MAX_BYTES = 128 * 1024 * 1024
_MAX_MESSAGE = 160


@dataclass(frozen=True)
class Inventory:
    """One validated snapshot file."""

    path: Path
    document: dict[str, Any]

    @property
    def resources(self) -> list[dict[str, Any]]:
        resources: list[dict[str, Any]] = self.document["resources"]
        return resources


@cache
def _validator() -> jsonschema.Draft7Validator:
    schema = json.loads(inventory_schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def load_inventory(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Inventory:
    document = _parse(path, _read(path, max_bytes))
    _check_depth(path, document)
    _validate(path, document)
    return Inventory(path=path, document=document)


def expand_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a directory stands for the ``*.json`` files directly in it."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                raise InputError(f"{path}: directory holds no *.json inventory")
            expanded.extend(found)
        else:
            expanded.append(path)
    return expanded


def load_inventories(paths: Sequence[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> list[Inventory]:
    """Load every input, refusing a scan whose inputs together exceed ``max_bytes``."""
    remaining = max_bytes
    inventories = []
    for path in expand_inputs(paths):
        inventory = load_inventory(path, remaining)
        remaining -= path.stat().st_size
        inventories.append(inventory)
    _check_unique_addresses(inventories)
    return inventories


def opa_input(inventories: Iterable[Inventory]) -> dict[str, Any]:
    """The one document OPA evaluates: every source and resource of every input."""
    sources: list[Any] = []
    resources: list[Any] = []
    for inventory in inventories:
        sources.extend(inventory.document["sources"])
        resources.extend(inventory.resources)
    return {"schema_version": SCHEMA_VERSION, "sources": sources, "resources": resources}


def resource_locations(inventory: Inventory) -> dict[str, tuple[str, int]]:
    """Address -> (file, line of its address) so reports can point into the input."""
    try:
        text = inventory.path.read_text(encoding="utf-8-sig")
    except OSError:
        text = ""
    locations = {}
    for resource in inventory.resources:
        address = resource["address"]
        offset = text.find(json.dumps(address))
        line = text.count("\n", 0, offset) + 1 if offset >= 0 else 1
        locations[address] = (str(inventory.path), line)
    return locations


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: {size:,} bytes is over the input limit of {max_bytes:,} bytes"
                " (raise it with --max-input-bytes)"
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _parse(path: Path, raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise InputError(f"{path}: JSON nested deeper than {MAX_DEPTH} levels") from exc


def _check_depth(path: Path, document: Any) -> None:
    # Depth counts nested objects and arrays (the envelope is 1). Iterative, so a
    # deep document cannot exhaust the interpreter's stack here.
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise InputError(f"{path}: JSON nested deeper than {MAX_DEPTH} levels")
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children)


def _validate(path: Path, document: Any) -> None:
    error = best_match(_validator().iter_errors(document), key=_first_in_document)
    if error is not None:
        message = error.message
        if len(message) > _MAX_MESSAGE:
            message = message[: _MAX_MESSAGE - 3] + "..."
        raise InputError(f"{path}: schema violation at {error.json_path}: {message}")


def _first_in_document(error: jsonschema.ValidationError) -> tuple[Any, ...]:
    # best_match picks the highest key; negate positions so the earliest field wins,
    # then prefer the deepest (most specific) error at that place.
    position = tuple(-p if isinstance(p, int) else 0 for p in error.absolute_path)
    return (position, len(error.absolute_path))


def _check_unique_addresses(inventories: Sequence[Inventory]) -> None:
    seen: dict[str, Path] = {}
    for inventory in inventories:
        for index, resource in enumerate(inventory.resources):
            address = resource["address"]
            if address in seen:
                raise InputError(
                    f"{inventory.path}: $.resources[{index}].address {address!r}"
                    f" also appears in {seen[address]}"
                )
            seen[address] = inventory.path
