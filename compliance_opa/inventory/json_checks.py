"""What JSON allows but a compliance gate must refuse: repeated keys, non-finite numbers,
deep nesting, lone surrogates; and where a resource's "address" key is in the text.
Shared by the whole-document loader (inventory.py) and the resource-by-resource reader
(stream.py); and a time in the future, refused for snapshots and plans alike."""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from compliance_opa.errors import InputError

# Deeper than any real inventory (IAM policy documents stay under 20 levels);
# far below the depth at which parsers and OPA's decoder struggle.
MAX_DEPTH = 64
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# \ud800-style escapes are the only way a UTF-8 text can spell a lone surrogate.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class Refused(ValueError):
    """Raised from the JSON parser's hooks for valid-looking but unusable JSON."""


def pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A repeated key would silently keep its last value: a compliance gate must not guess.
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise Refused(f"duplicate key {key!r} in one object")
            seen.add(key)
    return document


def finite_float(text: str) -> float | int:
    value = float(text)
    if math.isinf(value):
        raise Refused(f"number {text[:40]} is out of range")
    # 3.0 is the integer 3 in JSON; keeping it an integer lets integer-typed
    # attributes (retention days, ports) read and print as integers in OPA.
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def no_constant(name: str) -> Any:
    raise Refused(f"{name} is not valid JSON")


# Texts whose `":` pairs are not all key ends, or whose key ends are not all `":`, are
# not counted: a string value or key that starts with a colon (`{"a": ":x"}` has two `":`
# for one key: the lookbehind sees the `:`, `,`, `[`, `{` or space before its opening
# quote), a space before a colon (`{"a" : 1}`), and (tested apart) a quote after an
# escaped backslash (`{"k\\": 1}`). The pattern starts with a literal quote: fast to scan.
_UNCOUNTABLE = re.compile(rb'"(?:[ \t\r\n]+:|:(?<=[{\[,: \t\r\n]":))')


def keys_in_text(raw: bytes) -> int | None:
    """How many object keys the UTF-8 JSON text spells: each ends in an unescaped `":`.
    None when that count could be wrong for this text."""
    if raw.startswith(UTF16_BOMS) or b'\\\\"' in raw or _UNCOUNTABLE.search(raw):
        return None
    return raw.count(b'":') - raw.count(b'\\":')


def checked_key_count(path: Path, document: Any, depth: int = 0) -> int:
    """The keys of every object in the value; refuses nesting deeper than MAX_DEPTH
    (``depth``: the levels above the value; a document's envelope is level 1). Level by
    level, so a deep document cannot exhaust the interpreter's stack."""
    keys = 0
    level = [document] if type(document) in (dict, list) else []
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


_ADDRESS_KEY = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')


def address_keys(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, str]]:
    """(Position, value) of each `"address": "..."` pair in text[start:end], in order;
    values whose escapes do not decode are passed over."""
    for match in _ADDRESS_KEY.finditer(text, start, len(text) if end is None else end):
        quoted = match.group(1)
        if "\\" not in quoted:  # no escapes: the text between the quotes is the value
            yield match.start(), quoted[1:-1]
            continue
        try:
            yield match.start(), json.loads(quoted)
        except ValueError:
            continue


# How far ahead of this machine's clock a collection or plan time may be (clock skew).
CLOCK_SKEW = timedelta(minutes=5)


def check_not_future(path: Path, where: str, stamp: str, when: datetime) -> None:
    """Refuse a time (``stamp`` as written at ``where``) later than now plus CLOCK_SKEW."""
    now = datetime.now(UTC).replace(microsecond=0)
    if when > now + CLOCK_SKEW:
        raise InputError(
            f"{path}: {where} {json.dumps(stamp[:40])} is in the future (this machine's"
            f" clock says {now.isoformat().replace('+00:00', 'Z')})"
        )
