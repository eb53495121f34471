"""Appending to the ledger, and opening one from a location or the config."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from compliance_opa.errors import EngineError, InputError
from compliance_opa.evidence.record import (
    GENESIS_HASH,
    Artifact,
    Entry,
    artifact_name,
    canonical,
    new_record,
    parse_record,
    record_name,
    record_number,
)
from compliance_opa.evidence.settings import S3_TIMEOUT, default_ledger_path, retention_days
from compliance_opa.evidence.signing import Signer, signature_of
from compliance_opa.evidence.stores import LocalLedger, Store

MAX_ATTEMPTS = 100  # creates lost to other writers before an append gives up


def append(
    store: Store, entry: Entry, signer: Signer | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Write the entry's artifacts, then its record as the next one; return the record.

    The artifacts go first, so a record never names evidence that was not kept. The
    record takes the next free sequence number: a create that loses to another writer
    rereads the tail and tries the following number.
    """
    entry.check()
    with store.appending():
        _tail(store)  # a damaged tail refuses the append before any copy is written
        for artifact in entry.artifacts:
            _keep(store, entry.scan_id, artifact)
        for _ in range(MAX_ATTEMPTS):
            sequence, previous = _tail(store)
            record = new_record(entry, sequence + 1, previous, now or datetime.now(UTC))
            if signer is not None:
                record["signature"] = signature_of(signer, record["record_hash"])
            if store.create(record_name(sequence + 1), canonical(record)):
                return record
    raise EngineError(
        f"{store.location}: could not append to the evidence ledger: other"
        f" writers took {MAX_ATTEMPTS} sequence numbers in a row"
    )


def _keep(store: Store, scan_id: str, artifact: Artifact) -> None:
    name = artifact_name(scan_id, artifact.name)
    if not store.create(name, artifact.data) and store.read(name) != artifact.data:
        raise EngineError(
            f"{store.location}: {name} is already in the evidence ledger with other"
            " contents (scan id reused?)"
        )


def _tail(store: Store) -> tuple[int, str]:
    """The last record's sequence and hash; (0, zeros) for an empty ledger."""
    numbers = [n for n in map(record_number, store.names("records/")) if n is not None]
    if not numbers:
        return 0, GENESIS_HASH
    last = max(numbers)
    data = store.read(record_name(last))
    try:
        if data is None:
            raise ValueError("vanished while appending")
        record = parse_record(data)
        if record["sequence"] != last:
            raise ValueError(f"holds sequence {record['sequence']}")
    except ValueError as exc:
        # Chaining onto a damaged tail would bless it: stop and let a human look.
        raise EngineError(
            f"{store.location}: cannot append: the last record ({record_name(last)}) is"
            f" {exc}; run `opa-comply evidence verify`"
        ) from exc
    return last, str(record["record_hash"])


def open_ledger(
    location: str | None,
    config_section: Mapping[str, Any],
    endpoint_url: str | None = None,
    frameworks: Iterable[str] = (),
    timeout: float | None = None,
) -> Store:
    """The store at ``location`` (a folder or s3://bucket/prefix), else the section's
    `store`, else $XDG_STATE_HOME/opa-comply/evidence. ``frameworks`` choose the default
    S3 retention when the section sets none; ``timeout`` bounds each S3 call (seconds to
    connect and to wait for each answer; default settings.S3_TIMEOUT)."""
    where = location or config_section.get("store") or str(default_ledger_path())
    if not where.startswith("s3://"):
        return LocalLedger(Path(where).expanduser())
    parts = urlsplit(where)
    if not parts.netloc or parts.query or parts.fragment:
        raise InputError(f"evidence store {where!r}: expected s3://bucket/prefix")
    days = retention_days(frameworks, config_section.get("retention_days"))
    # boto3 only when S3 is used
    from compliance_opa.evidence.s3 import S3Ledger, s3_client

    client = s3_client(
        config_section.get("region"),
        endpoint_url or config_section.get("endpoint_url"),
        S3_TIMEOUT if timeout is None else timeout,
    )
    return S3Ledger(parts.netloc, parts.path, days, client)
