"""The waivers file (YAML): read, checked against its schema and its dates, one
InputError line naming the file and the entry for every problem. A waiver's expiry is
capped at `max_days` after its creation and after the day it is loaded, so every waiver
is reviewed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema

from compliance_opa.domain.waivers import Waiver, WaiverPolicy
from compliance_opa.errors import InputError
from compliance_opa.support import strict_yaml
from compliance_opa.support.strict_yaml import StrictLoader
from compliance_opa.support.textfile import read_text_file

_MAX_BYTES = 1024 * 1024


WAIVER_POLICY_SCHEMA: dict[str, object] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "file": {"type": "string", "minLength": 1},
        "max_days": {"type": "integer", "minimum": 1, "maximum": 3650},
        "warn_days": {"type": "integer", "minimum": 0, "maximum": 365},
        "broad_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
    },
    "additionalProperties": False,
}


_TEXT_FIELDS = ("check", "resource", "reason", "owner", "approver", "ticket")


_DATE_FIELDS = ("expires", "created")


_REQUIRED = (*_TEXT_FIELDS, "expires")


_TEXT = {"type": "string", "pattern": r"\S"}  # not empty, not only blanks


_DATE = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


WAIVERS_FILE_SCHEMA: dict[str, object] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "waivers": {
            "type": ["array", "null"],  # null: every entry commented out
            "items": {
                "type": "object",
                "properties": {
                    **{name: _TEXT for name in _TEXT_FIELDS},
                    **{name: _DATE for name in _DATE_FIELDS},
                    "broad": {"type": "boolean"},
                },
                "required": list(_REQUIRED),
                "additionalProperties": False,
            },
        }
    },
    "required": ["waivers"],
    "additionalProperties": False,
}


class _Loader(StrictLoader):
    """SafeLoader that leaves `2026-12-31` a string: a bad date (2026-13-01) is then our
    one-line error naming the entry, not a ValueError out of PyYAML with no location."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in StrictLoader.yaml_implicit_resolvers.items()
}


def load_waivers(path: Path, policy: WaiverPolicy, today: date) -> tuple[Waiver, ...]:
    """The waivers in a file, in file order; every problem is one InputError line."""
    document = _parse(path, read_text_file(path, _MAX_BYTES, "waivers file"))
    _validate(path, document)
    entries: list[dict[str, Any]] = document["waivers"] or []
    waivers = tuple(_waiver(path, index, entry) for index, entry in enumerate(entries))
    for waiver in waivers:
        _check_dates(path, waiver, policy, today)
        if waiver.blanket and not waiver.broad:
            raise InputError(
                f"{path}: waivers[{waiver.index}]: check and resource are both `*`, which"
                " waives every finding: narrow it, or say `broad: true`"
            )
    _refuse_duplicates(path, waivers)
    return waivers


def _parse(path: Path, text: str) -> Any:
    return strict_yaml.load(path, text, _Loader)


def _validate(path: Path, document: Any) -> None:
    _normalise_dates(document)
    errors = list(jsonschema.Draft7Validator(WAIVERS_FILE_SCHEMA).iter_errors(document))
    if not errors:
        return
    # Name the earliest entry in the file that is wrong, and its most relevant error.
    first = min(_entry_index(error) for error in errors)
    same = [e for e in errors if _entry_index(e) == first]
    error = jsonschema.exceptions.best_match(same) or same[0]
    raise InputError(f"{path}: {_describe(error)}")


def _normalise_dates(document: Any) -> None:
    """A date that is already a date (an explicit `!!timestamp`) as its YYYY-MM-DD text,
    so the schema sees one form; a datetime stays as it is and is refused."""
    entries = document.get("waivers") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else ():
        for name in _DATE_FIELDS:
            value = entry.get(name) if isinstance(entry, dict) else None
            if isinstance(value, date) and not isinstance(value, datetime):
                entry[name] = value.isoformat()


def _entry_index(error: jsonschema.ValidationError) -> int:
    """The entry an error is in; -1 for errors about the document itself."""
    where = list(error.absolute_path)
    return where[1] if len(where) > 1 and isinstance(where[1], int) else -1


def _describe(error: jsonschema.ValidationError) -> str:
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    where = where.lstrip(".")
    field = error.absolute_path[-1] if error.absolute_path else None
    instance: Any = error.instance  # jsonschema types these loosely
    if not where:
        return _describe_document(instance)
    if error.validator == "required":
        missing = next(name for name in _REQUIRED if name not in instance)
        return f"{where}: missing required field {missing!r}"
    if error.validator == "additionalProperties":
        unknown = sorted(str(k) for k in instance if k not in (*_TEXT_FIELDS, *_DATE_FIELDS))
        return f"{where}: unknown field {unknown[0]!r}"
    if field in _DATE_FIELDS:
        return f"{where}: expected a date YYYY-MM-DD, got {_short(instance)}"
    if error.validator == "pattern":
        return f"{where}: must not be empty"
    if error.validator == "type":
        expected: Any = error.validator_value
        return f"{where}: expected {_kind(expected)}, got {_short(instance)}"
    return f"{where}: invalid value ({error.validator})"


def _describe_document(document: Any) -> str:
    unknown = (
        sorted(str(k) for k in document if k != "waivers") if isinstance(document, dict) else []
    )
    if unknown:
        return f"unknown key {unknown[0]!r} (expected only `waivers`)"
    return "expected a mapping with a `waivers` key"


def _kind(json_type: str | list[str]) -> str:
    names = {"string": "a string", "object": "a mapping", "array": "a list"}
    first = json_type if isinstance(json_type, str) else json_type[0]
    return names.get(first, first)


def _short(value: Any) -> str:
    text = repr(value.isoformat() if isinstance(value, date) else value)
    return text if len(text) <= 40 else text[:37] + "..."


def _waiver(path: Path, index: int, entry: dict[str, Any]) -> Waiver:
    created = entry.get("created")
    return Waiver(
        check=entry["check"],
        resource=entry["resource"],
        reason=entry["reason"],
        owner=entry["owner"],
        approver=entry["approver"],
        ticket=entry["ticket"],
        expires=_date(path, index, "expires", entry["expires"]),
        created=None if created is None else _date(path, index, "created", created),
        index=index,
        source=str(path),
        broad=entry.get("broad", False),
    )


def _date(path: Path, index: int, name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:  # the schema's pattern lets 2026-02-30 through
        raise InputError(f"{path}: waivers[{index}].{name}: {text!r} is not a date") from exc


def _check_dates(path: Path, waiver: Waiver, policy: WaiverPolicy, today: date) -> None:
    where = f"{path}: waivers[{waiver.index}]"
    if waiver.created is not None:
        if waiver.created > waiver.expires:
            raise InputError(f"{where}.created: {waiver.created} is after expires {waiver.expires}")
        _cap(where, waiver.expires, waiver.created, "created", policy.max_days)
    # Also from today: a waiver created long ago (or without a date) cannot run for years.
    _cap(where, waiver.expires, today, "today", policy.max_days)


def _cap(where: str, expires: date, start: date, label: str, max_days: int) -> None:
    days = (expires - start).days
    if days > max_days:
        raise InputError(
            f"{where}.expires: {expires} is {days} days after {start} ({label}), "
            f"more than max_days {max_days}"
        )


def _refuse_duplicates(path: Path, waivers: Sequence[Waiver]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for waiver in waivers:
        key = (waiver.check, waiver.resource)
        if key in seen:
            raise InputError(
                f"{path}: waivers[{waiver.index}]: same check and resource as waivers[{seen[key]}]"
            )
        seen[key] = waiver.index
