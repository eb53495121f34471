"""Verifying a ledger: every record's hash, the chain, file placement, signatures and
artifact copies, each problem one line naming the record or file.

The chain is followed by the sequence numbers inside the records, not by file names, so
two exchanged files read as one swap rather than as a broken chain.

Limits, by design of a hash chain: removing the newest records, or rewriting records and
re-hashing everything after them, leaves a consistent ledger. Signatures stop the second
(the key is needed), S3 Object Lock and its version listing stop both, and so does the
scan history of the state store (`expected`): every scan it holds as complete wrote its
record before it was marked complete, so a missing one is a removed record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from compliance_opa.evidence.problems import Kind, Problem
from compliance_opa.evidence.record import (
    GENESIS_HASH,
    artifact_name,
    parse_record,
    record_hash,
    record_name,
    record_number,
    sha256_hex,
)
from compliance_opa.evidence.signing import Verifier, signature_verifies
from compliance_opa.evidence.stores import Store

_CHAIN_KINDS = {Kind.MODIFIED, Kind.REMOVED, Kind.REORDERED, Kind.INSERTED, Kind.UNREADABLE}


@dataclass(frozen=True)
class Expected:
    """A scan the state store holds as complete: the ledger must hold its record."""

    scan_id: str
    scope: str
    finished_at: str


@dataclass(frozen=True)
class Verification:
    problems: tuple[Problem, ...]
    records: int  # record files read
    signatures: int  # signatures that verified
    unsigned: int  # readable records without a signature
    artifacts: int  # artifact copies that match their record
    artifacts_checked: bool
    signatures_checked: bool
    history: int | None = None  # complete scans checked against, None: no state store

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def chain_intact(self) -> bool:
        return not any(p.kind in _CHAIN_KINDS for p in self.problems)

    @property
    def empty(self) -> bool:
        return any(p.kind is Kind.EMPTY for p in self.problems)


@dataclass(frozen=True)
class _File:
    number: int  # the sequence the file is named for
    name: str
    record: dict[str, Any] | None  # None when unreadable

    @property
    def where(self) -> str:
        return f"record {self.number} ({self.name})"


class _Found(list[Problem]):
    def add(self, kind: Kind, line: str) -> None:
        self.append(Problem(kind, line))


def verify(
    store: Store, verifier: Verifier | None = None, check_artifacts: bool = True
) -> list[Problem]:
    """Every problem found in the ledger; empty when it is intact. An empty ledger is a
    problem too: a wiped ledger must not pass."""
    return list(check(store, verifier, check_artifacts).problems)


def check(
    store: Store,
    verifier: Verifier | None = None,
    check_artifacts: bool = True,
    expected: Sequence[Expected] | None = None,
) -> Verification:
    """verify() with the counts a summary line needs; with ``expected`` (the complete
    scans of the state store), every one of them must have its record too."""
    found = _Found()
    files: list[_File] = []
    for name in store.names("records/"):
        number = record_number(name)
        if number is None:
            found.add(Kind.UNEXPECTED, f"{name}: not a record file name (added)")
        else:
            files.append(_read(store, number, name, found))
    files.sort(key=lambda f: f.number)
    if not files:
        found.add(Kind.EMPTY, f"no records in {store.location} (empty or wiped)")
    _placement(files, found)
    _chain(_holders(files, found), found)
    readable = [f for f in files if f.record is not None]
    if expected is not None:
        _history(readable, expected, found)
    signatures = _signatures(readable, verifier, found) if verifier is not None else 0
    # Copies no record names are reported only when every record was read: otherwise the
    # removed or unreadable record already explains them.
    whole = not any(p.kind in (Kind.REMOVED, Kind.UNREADABLE) for p in found)
    matched = _artifacts(store, readable, found, whole) if check_artifacts else 0
    found.extend(store.audit())
    return Verification(
        problems=tuple(found),
        records=len(files),
        signatures=signatures,
        unsigned=sum(1 for f in readable if f.record and "signature" not in f.record),
        artifacts=matched,
        artifacts_checked=check_artifacts,
        signatures_checked=verifier is not None,
        history=len(expected) if expected is not None else None,
    )


def _history(files: Sequence[_File], expected: Sequence[Expected], found: _Found) -> None:
    """Scans complete in the state store without a record: records removed, the newest
    ones too (which the chain alone cannot show)."""
    recorded = {str((f.record or {})["scan_id"]) for f in files}
    for scan in expected:
        if scan.scan_id not in recorded:
            found.add(
                Kind.REMOVED,
                f"scan {scan.scan_id} (scope {scan.scope!r}, finished {scan.finished_at}) is"
                " complete in the state store but has no record in the ledger (removed)",
            )


def _read(store: Store, number: int, name: str, found: _Found) -> _File:
    file = _File(number, name, None)
    data = store.read(name)
    if data is None:  # listed, then gone
        found.add(Kind.REMOVED, f"{file.where}: deleted while verifying (removed)")
        return file
    try:
        record = parse_record(data)
    except ValueError as exc:
        found.add(Kind.UNREADABLE, f"{file.where}: {exc}")
        return file
    if record_hash(record) != record["record_hash"]:
        found.add(Kind.MODIFIED, f"{file.where}: contents do not match its record_hash (modified)")
    return _File(number, name, record)


def _sequence(file: _File) -> int:
    """The sequence a file holds: an unreadable one stands for the one it is named for."""
    return int(file.record["sequence"]) if file.record else file.number


def _placement(files: Sequence[_File], found: _Found) -> None:
    """Records in files named for another sequence; two exchanged files as one swap."""
    moved = {f.number: f for f in files if _sequence(f) != f.number}
    reported: set[int] = set()
    for number, file in sorted(moved.items()):
        if number in reported:
            continue
        inside = _sequence(file)
        other = moved.get(inside)
        if other is not None and _sequence(other) == number:
            reported |= {number, inside}
            found.add(
                Kind.REORDERED,
                f"records {number} and {inside} are swapped: {file.name} holds record"
                f" {inside} and {other.name} holds record {number} (reordered)",
            )
        else:
            found.add(
                Kind.REORDERED,
                f"{file.where}: sequence {inside} in a file named for {number} (reordered)",
            )


def _holders(files: Sequence[_File], found: _Found) -> dict[int, _File]:
    """The file holding each sequence; when two hold one, the file named for it wins and
    the other is reported."""
    by_sequence: dict[int, list[_File]] = defaultdict(list)
    for file in files:
        by_sequence[_sequence(file)].append(file)
    holder: dict[int, _File] = {}
    for sequence, held in sorted(by_sequence.items()):
        held.sort(key=lambda f: (f.number != sequence, f.number))
        holder[sequence] = held[0]
        if len(held) > 1:
            names = ", ".join(f.name for f in held)
            found.add(
                Kind.INSERTED,
                f"record {sequence} is held by {len(held)} files: {names} (inserted or copied)",
            )
    return holder


def _chain(holder: Mapping[int, _File], found: _Found) -> None:
    sequences = sorted(holder)
    if sequences and sequences[0] > 1:
        first = sequences[0]
        gone = "record 1 is" if first == 2 else f"records 1-{first - 1} are"
        found.add(Kind.REMOVED, f"{gone} missing: the ledger starts at record {first} (removed)")
    for before, sequence in pairwise(sequences):
        if sequence > before + 1:
            gap = before + 1
            gone = (
                f"record {gap} is" if sequence == gap + 1 else f"records {gap}-{sequence - 1} are"
            )
            found.add(
                Kind.REMOVED, f"{gone} missing: record {sequence} follows record {before} (removed)"
            )
    for sequence in sequences:
        file = holder[sequence]
        if file.record is None:
            continue  # reported as unreadable; its neighbours cannot be checked against it
        where = f"record {sequence} ({file.name})"
        if sequence == 1:
            if file.record["previous_hash"] != GENESIS_HASH:
                found.add(
                    Kind.REMOVED,
                    f"{where}: previous_hash is not 64 zeros, yet no record precedes it"
                    " (records before it removed?)",
                )
            continue
        previous = holder.get(sequence - 1)
        if previous is None or previous.record is None:
            continue  # the gap or the unreadable record is reported already
        if file.record["previous_hash"] != previous.record["record_hash"]:
            label = f"record {sequence - 1}"
            them = label if previous.name == record_name(sequence - 1) else previous.where
            found.add(
                Kind.INSERTED,
                f"{where}: previous_hash does not match {them} ({label} rewritten, or a record"
                " inserted or reordered)",
            )


def _signatures(files: Sequence[_File], verifier: Verifier, found: _Found) -> int:
    verified = 0
    for file in files:
        record = file.record or {}
        signature = record.get("signature")
        if signature is None:
            found.add(Kind.SIGNATURE, f"{file.where}: unsigned but a verifier was given")
        elif signature["alg"] != verifier.alg:
            found.add(
                Kind.SIGNATURE,
                f"{file.where}: signed with {signature['alg']} (key_id {signature['key_id']}),"
                f" but the key given is {verifier.alg}",
            )
        elif signature_verifies(verifier, record["record_hash"], signature):
            verified += 1
        else:
            given = ""
            if verifier.key_id and verifier.key_id != signature["key_id"]:
                given = f"; the key given is {verifier.key_id}"
            found.add(
                Kind.SIGNATURE,
                f"{file.where}: signature does not verify (key_id {signature['key_id']}{given})",
            )
    return verified


def _artifacts(store: Store, files: Sequence[_File], found: _Found, orphans: bool) -> int:
    matched = 0
    referenced: set[str] = set()
    for file in files:
        record = file.record or {}
        for artifact in record["artifacts"]:
            name = artifact_name(record["scan_id"], artifact["name"])
            referenced.add(name)
            of = f"artifact {name} of record {file.number}"
            data = store.read(name)
            if data is None:
                found.add(Kind.REMOVED, f"{of} is missing (removed)")
                continue
            digest, size = sha256_hex(data), len(data)
            if digest == artifact["sha256"] and size == artifact["size"]:
                matched += 1
                continue
            found.add(
                Kind.MODIFIED,
                f"{of}: sha256 {digest[:16]}... ({size} bytes) expected"
                f" {artifact['sha256'][:16]}... ({artifact['size']} bytes) (modified)",
            )
    for name in store.names("artifacts/") if orphans else []:
        if name not in referenced:
            found.add(Kind.UNEXPECTED, f"{name}: not named by any record (added)")
    return matched
