"""Loading inventory snapshots: size, JSON, nesting and schema checks before evaluation.

Every check raises InputError with the file and, for schema violations, the
JSON path of the first bad field, so bad input never reaches OPA.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from collectors.terraform.plan import adapt_plan, is_plan
from compliance_opa.compiled_schema import document_conforms, inventory_schema
from compliance_opa.errors import InputError

SCHEMA_VERSION = "1"
# Deeper than any real inventory (IAM policy documents stay under 20 levels);
# far below the depth at which parsers and OPA's decoder struggle.
MAX_DEPTH = 64
# Per scan, all inputs together: a guard against a runaway file (OPA's own request
# limit is met by splitting the input, compliance_opa/chunked.py).
DEFAULT_MAX_BYTES = 128 * 1024 * 1024
_MAX_MESSAGE = 160


@dataclass(frozen=True)
class Inventory:
    """One validated snapshot file."""

    path: Path
    document: dict[str, Any]
    size: int  # bytes read, counted against the scan's input limit
    digest: str = ""  # sha256 of the bytes read: the evidence of what was judged

    @property
    def resources(self) -> list[dict[str, Any]]:
        resources: list[dict[str, Any]] = self.document["resources"]
        return resources


@cache
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        inventory_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def load_inventory(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Inventory:
    """An inventory snapshot, or a Terraform plan (recognised by its content) adapted to one."""
    raw = _read(path, max_bytes)
    document = _parse(path, raw)
    _check_text_of(path, document, raw)
    if is_plan(document):
        # The adapter checks each resource against its type's schema as it builds it;
        # the envelope around them is checked here.
        document = adapt_plan(document, path, raw)
        validate_document(path, {**document, "resources": []})
    elif (
        isinstance(document, dict)
        and "schema_version" not in document
        and "format_version" in document
    ):
        raise InputError(f"{path}: a Terraform plan needs resource_changes or planned_values")
    else:
        validate_document(path, document)
    return Inventory(
        path=path, document=document, size=len(raw), digest=hashlib.sha256(raw).hexdigest()
    )


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
        remaining -= inventory.size
        inventories.append(inventory)
    check_unique_addresses(inventories)
    return inventories


def opa_input(
    inventories: Iterable[Inventory], parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The one document OPA evaluates: every source and resource, and parameter overrides."""
    sources: list[Any] = []
    resources: list[Any] = []
    for inventory in inventories:
        sources.extend(inventory.document["sources"])
        resources.extend(inventory.resources)
    return {
        "schema_version": SCHEMA_VERSION,
        "sources": sources,
        "resources": resources,
        "parameters": parameters or {},
    }


_ADDRESS_KEY = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')


def resource_locations(inventory: Inventory) -> dict[str, tuple[str, int]]:
    """Address -> (file, line of its first "address" key) so reports can point into the
    input. One pass over the text whatever the order of resources (a plan's are sorted
    differently from its file); line 1 when the address is not found."""
    text = ""
    try:
        raw = inventory.path.read_bytes()
        text = _decode(inventory.path, raw)
    except (OSError, InputError):
        pass
    wanted = {resource["address"] for resource in inventory.resources}
    first: dict[str, int] = {}
    for match in _ADDRESS_KEY.finditer(text):
        quoted = match.group(1)
        if "\\" not in quoted:  # no escapes: the text between the quotes is the address
            address = quoted[1:-1]
        else:
            try:
                address = json.loads(quoted)
            except ValueError:
                continue
        if address in wanted and address not in first:
            first[address] = match.start()
    # Line numbers by counting newlines between the found offsets in order: no table of
    # every line start of a file with millions of lines.
    lines: dict[str, int] = {}
    line, offset = 1, 0
    for address, position in sorted(first.items(), key=lambda item: item[1]):
        line += text.count("\n", offset, position)
        offset = position
        lines[address] = line
    path = str(inventory.path)
    return {address: (path, lines.get(address, 1)) for address in wanted}


def _read(path: Path, max_bytes: int) -> bytes:
    """Read a regular file, never more than ``max_bytes`` (FIFOs and devices are refused)."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(f"{path}: not a regular file")
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise InputError(
            f"{path}: over the input limit of {max_bytes:,} bytes (raise it with --max-input-bytes)"
        )
    return raw


class _Refused(ValueError):
    """Raised from the JSON parser's hooks for valid-looking but unusable JSON."""


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A repeated key would silently keep its last value: a compliance gate must not guess.
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"duplicate key {key!r} in one object")
            seen.add(key)
    return document


def _finite_float(text: str) -> float | int:
    value = float(text)
    if math.isinf(value):
        raise _Refused(f"number {text[:40]} is out of range")
    # 3.0 is the integer 3 in JSON; keeping it an integer lets integer-typed
    # attributes (retention days, ports) read and print as integers in OPA.
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not valid JSON")


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 with or without a BOM, or UTF-16 with a BOM (what PowerShell's `>` writes)."""
    encoding = "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise InputError(f"{path}: not {name} text (byte {exc.start})") from exc
    if text.lstrip().startswith("[command]"):
        raise InputError(
            f"{path}: CI wrapper output, not plan JSON (run `terraform show -json` without"
            " hashicorp/setup-terraform's wrapper: terraform_wrapper: false)"
        )
    return text


def _parse(path: Path, raw: bytes) -> Any:
    """The JSON document, refusing repeated keys, non-finite numbers and nesting deeper
    than MAX_DEPTH.

    Catching a repeated key takes a Python hook on every object, which doubles the parse
    time of a big snapshot. So a UTF-8 text whose keys can be counted from its bytes is
    parsed without it first: when its objects hold as many keys as the text spells, no
    key was repeated. Anything else is parsed again with the hook, which names the key.
    """
    text = _decode(path, raw)
    counted = _keys_in_text(raw)
    if counted is not None:
        document = _loads(path, text, exact=False)
        if _checked_key_count(path, document) == counted:
            return document
    document = _loads(path, text, exact=True)
    _checked_key_count(path, document)
    return document


def _loads(path: Path, text: str, *, exact: bool) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs_without_duplicates if exact else None,
            parse_float=_finite_float,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except _Refused as exc:
        raise InputError(f"{path}: {exc}") from exc
    except RecursionError as exc:
        raise InputError(f"{path}: JSON nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise InputError(f"{path}: unusable JSON number ({str(exc).split(':')[0]})") from exc


# Texts whose `":` pairs are not all key ends, or whose key ends are not all `":`, are
# not counted: a string value or key that starts with a colon (`{"a": ":x"}` has two `":`
# for one key: the lookbehind sees the `:`, `,`, `[`, `{` or space before its opening
# quote), a space before a colon (`{"a" : 1}`), and (tested apart) a quote after an
# escaped backslash (`{"k\\": 1}`). The pattern starts with a literal quote: fast to scan.
_UNCOUNTABLE = re.compile(rb'"(?:[ \t\r\n]+:|:(?<=[{\[,: \t\r\n]":))')


def _keys_in_text(raw: bytes) -> int | None:
    """How many object keys the UTF-8 JSON text spells: each ends in an unescaped `":`.
    None when that count could be wrong for this text."""
    if raw.startswith(_UTF16_BOMS) or b'\\\\"' in raw or _UNCOUNTABLE.search(raw):
        return None
    return raw.count(b'":') - raw.count(b'\\":')


def _checked_key_count(path: Path, document: Any) -> int:
    """The keys of every object in the document; refuses nesting deeper than MAX_DEPTH
    (the envelope is level 1). Level by level, so a deep document cannot exhaust the
    interpreter's stack."""
    keys = 0
    level = [document] if type(document) in (dict, list) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise InputError(f"{path}: JSON nested deeper than {MAX_DEPTH} levels")
        keys += sum(len(v) for v in level if type(v) is dict)
        level = [
            child
            for value in level
            for child in (value.values() if type(value) is dict else value)
            if type(child) is dict or type(child) is list
        ]
    return keys


def _check_text_of(path: Path, document: Any, raw: bytes | None = None) -> None:
    """Refuse strings that cannot be written as UTF-8 (lone surrogates). They can only
    come from \\ud800-style escapes: when the UTF-8 input holds none, strings are not
    looked at one by one. Paths are spelled out only for an error."""
    if raw is not None and not raw.startswith(_UTF16_BOMS) and not _SURROGATE_ESCAPE.search(raw):
        return
    stack: list[tuple[Any, Trail]] = [(document, None)]
    while stack:
        value, trail = stack.pop()
        if isinstance(value, str):
            _check_text(path, value, trail)
        elif isinstance(value, dict):
            for key, child in value.items():
                _check_text(path, key, trail)
                stack.append((child, (trail, f".{key}")))
        elif isinstance(value, list):
            stack.extend((child, (trail, f"[{i}]")) for i, child in enumerate(value))


# A JSON path kept as a linked list of steps: cheap to extend, spelled out when needed.
Trail = tuple["Trail", str] | None
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _spelled(trail: Trail) -> str:
    steps: list[str] = []
    while trail is not None:
        trail, step = trail
        steps.append(step)
    return "$" + "".join(reversed(steps))


def _check_text(path: Path, text: str, trail: Trail) -> None:
    # \ud800-style escapes decode to lone surrogates, which no report can encode.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = _spelled(trail)
        raise InputError(
            f"{path}: string at {where.encode('utf-8', 'backslashreplace').decode()}"
            f" holds a lone surrogate (\\u{ord(text[exc.start]):04x})"
        ) from exc


def validate_document(path: Path | str, document: Any) -> None:
    """Raise InputError naming the first schema violation and its JSON path.

    The compiled validators answer for valid documents; only a document they refuse goes
    through jsonschema, whose errors name the earliest bad field precisely."""
    if document_conforms(document):
        return
    error = best_match(validator().iter_errors(document), key=_first_in_document)
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


def check_unique_addresses(inventories: Sequence[Inventory]) -> None:
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
