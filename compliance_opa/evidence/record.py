"""Ledger records: what one scan leaves as evidence, its canonical bytes and its hash.

A record is a JSON object serialised as RFC 8785 canonical JSON, so its hash does not
depend on key order or whitespace and any other implementation can recompute it.
``record_hash`` covers every field except itself and ``signature``; ``previous_hash``
chains each record to the one before it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import rfc8785

from compliance_opa.errors import InputError

# RFC 8785 numbers are IEEE doubles: integers past 2**53 - 1 cannot be canonicalised.
_MAX_SAFE_INTEGER = 2**53 - 1
RECORD_VERSION = "1"
GENESIS_HASH = "0" * 64  # previous_hash of the first record
UNHASHED = ("record_hash", "signature")

# Scan ids and artifact names become path parts of the ledger: one safe component each.
SAFE_NAME = r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$"
_SAFE = re.compile(SAFE_NAME)
_HEX64 = r"^[0-9a-f]{64}$"
_SHA256 = re.compile(_HEX64)

RECORD_SCHEMA: dict[str, object] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "version",
        "sequence",
        "recorded_at",
        "scan_id",
        "scope",
        "tool_version",
        "opa_version",
        "policy_digest",
        "snapshot_digests",
        "findings_digest",
        "artifacts",
        "previous_hash",
        "record_hash",
    ],
    "properties": {
        "version": {"enum": [RECORD_VERSION]},
        "sequence": {"type": "integer", "minimum": 1, "maximum": _MAX_SAFE_INTEGER},
        "recorded_at": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"},
        "scan_id": {"type": "string", "pattern": SAFE_NAME},
        "scope": {"type": "string"},
        "tool_version": {"type": "string"},
        "opa_version": {"type": "string"},
        "policy_digest": {"type": "string"},
        "snapshot_digests": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "sha256"],
                "properties": {"name": {"type": "string"}, "sha256": {"pattern": _HEX64}},
            },
        },
        "findings_digest": {"type": "string", "pattern": _HEX64},
        # The log files and object lists the inputs' audit-log summaries read (issue 20);
        # only in records of scans that had some.
        "audit_source_digests": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["summary", "name", "sha256"],
                "properties": {
                    "summary": {"type": "string"},
                    "name": {"type": "string"},
                    "sha256": {"type": "string", "pattern": _HEX64},
                },
            },
        },
        "artifacts": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "sha256", "size"],
                "properties": {
                    "name": {"type": "string", "pattern": SAFE_NAME},
                    "sha256": {"type": "string", "pattern": _HEX64},
                    "size": {"type": "integer", "minimum": 0, "maximum": _MAX_SAFE_INTEGER},
                },
            },
        },
        "previous_hash": {"type": "string", "pattern": _HEX64},
        "record_hash": {"type": "string", "pattern": _HEX64},
        "signature": {
            "type": "object",
            "additionalProperties": False,
            "required": ["alg", "key_id", "value"],
            "properties": {
                "alg": {"enum": ["hmac-sha256", "ed25519"]},
                "key_id": {"type": "string"},
                "value": {"type": "string"},
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft7Validator(RECORD_SCHEMA)


@dataclass(frozen=True)
class Digest:
    """The sha256 of one named input (an inventory snapshot)."""

    name: str
    sha256: str


@dataclass(frozen=True)
class SourceDigest:
    """The sha256 of one log file or object list an audit-log summary (its address) read."""

    summary: str
    name: str
    sha256: str


@dataclass(frozen=True)
class Artifact:
    """A report file of the scan; its bytes are copied into the ledger with the record."""

    name: str
    data: bytes = field(repr=False)

    @classmethod
    def from_file(cls, path: Path, name: str | None = None) -> Artifact:
        try:
            return cls(name or path.name, path.read_bytes())
        except OSError as exc:
            raise InputError(f"{path}: cannot read report for the evidence ledger: {exc}") from exc

    @property
    def sha256(self) -> str:
        return sha256_hex(self.data)


@dataclass(frozen=True)
class Entry:
    """What a scan contributes to its record; the ledger adds sequence, time and hashes."""

    scan_id: str
    scope: str
    tool_version: str
    opa_version: str
    policy_digest: str
    snapshot_digests: tuple[Digest, ...]
    findings_digest: str
    artifacts: tuple[Artifact, ...] = ()
    audit_sources: tuple[SourceDigest, ...] = ()

    def check(self) -> None:
        if not _SAFE.match(self.scan_id):
            raise InputError(f"evidence: scan id {self.scan_id!r} is not a safe file name")
        names = [a.name for a in self.artifacts]
        for name in names:
            if not _SAFE.match(name):
                raise InputError(f"evidence: artifact name {name!r} is not a safe file name")
        if len(set(names)) != len(names):
            raise InputError("evidence: two artifacts of one scan share a name")
        digests = (
            *(d.sha256 for d in self.snapshot_digests),
            *(d.sha256 for d in self.audit_sources),
        )
        for digest in (self.findings_digest, *digests):
            if not _SHA256.match(digest):
                raise InputError(f"evidence: {digest!r} is not a lowercase sha256 hex digest")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON."""
    return rfc8785.dumps(value)


def canonical_digest(value: Any) -> str:
    """sha256 of a JSON value's canonical form, e.g. the findings of a scan."""
    return sha256_hex(canonical(value))


def file_digest(path: Path, name: str | None = None) -> Digest:
    try:
        return Digest(name or str(path), sha256_hex(path.read_bytes()))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def tree_digest(directory: Path) -> str:
    """One digest for a folder (e.g. policies/): its files' relative paths and contents."""
    lines = [
        f"{sha256_hex(p.read_bytes())}  {p.relative_to(directory).as_posix()}\n"
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    ]
    return sha256_hex("".join(lines).encode())


def record_hash(record: Mapping[str, Any]) -> str:
    """The hash of a record: canonical JSON of every field but the hash and signature."""
    return canonical_digest({k: v for k, v in record.items() if k not in UNHASHED})


def new_record(entry: Entry, sequence: int, previous_hash: str, now: datetime) -> dict[str, Any]:
    record: dict[str, Any] = {
        "version": RECORD_VERSION,
        "sequence": sequence,
        "recorded_at": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "scan_id": entry.scan_id,
        "scope": entry.scope,
        "tool_version": entry.tool_version,
        "opa_version": entry.opa_version,
        "policy_digest": entry.policy_digest,
        "snapshot_digests": [{"name": d.name, "sha256": d.sha256} for d in entry.snapshot_digests],
        "findings_digest": entry.findings_digest,
        "artifacts": [
            {"name": a.name, "sha256": a.sha256, "size": len(a.data)} for a in entry.artifacts
        ],
        "previous_hash": previous_hash,
    }
    if entry.audit_sources:  # absent otherwise: records of scans without them are unchanged
        record["audit_source_digests"] = [
            {"summary": d.summary, "name": d.name, "sha256": d.sha256} for d in entry.audit_sources
        ]
    record["record_hash"] = record_hash(record)
    return record


def record_name(sequence: int) -> str:
    return f"records/{sequence:06d}.json"


def artifact_name(scan_id: str, name: str) -> str:
    return f"artifacts/{scan_id}/{name}"


_RECORD_FILE = re.compile(r"^records/(\d{6}|[1-9]\d{6,})\.json$")  # as record_name writes


def record_number(name: str) -> int | None:
    """The sequence a record file is named for, or None for any other name."""
    match = _RECORD_FILE.match(name)
    return int(match.group(1)) if match else None


def parse_record(data: bytes) -> dict[str, Any]:
    """A record from its stored bytes; ValueError says what is wrong with it."""
    try:
        value = json.loads(
            data.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        )
    except json.JSONDecodeError as exc:
        why = exc.msg if exc.msg.startswith(("duplicate", "NaN", "Infinity", "-Inf")) else ""
        raise ValueError(f"not valid JSON ({why or 'truncated?'})") from exc
    except UnicodeDecodeError as exc:
        raise ValueError("not valid JSON (not UTF-8)") from exc
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(value))
    if error is not None:
        where = ".".join(map(str, error.absolute_path)) or "record"
        raise ValueError(
            f"not a version {RECORD_VERSION} record ({where}: {error.validator} failed)"
        )
    try:
        canonical(value)  # lone surrogates and the like cannot be canonicalised
    except Exception as exc:  # rfc8785's errors share no base class worth naming
        raise ValueError(f"not canonical JSON ({type(exc).__name__})") from exc
    checked: dict[str, Any] = value
    return checked


def _no_duplicates(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:  # parsers disagree on which one wins: refuse both
            raise json.JSONDecodeError(f"duplicate key {key!r}", "", 0)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", "", 0)
