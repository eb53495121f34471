"""Helpers for the evidence ledger tests: entries, keys, ledgers and tampering."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance_opa.evidence import (
    Artifact,
    Digest,
    Entry,
    LocalLedger,
    Signer,
    append,
    canonical,
    canonical_digest,
    record_hash,
    sha256_hex,
)

HMAC_KEY = b"k" * 16 + b"evidence-test-key-0123456789"  # 44 bytes
ARTIFACT_NAMES = ("opa-comply.json", "opa-comply.html")


def entry(n: int) -> Entry:
    """The entry of the n-th scan: two snapshots, two report artifacts."""
    report = json.dumps({"scan": n, "findings": [f"finding-{n}"]}).encode()
    return Entry(
        scan_id=f"scan-{n:04d}",
        scope="production",
        tool_version="0.1.0",
        opa_version="1.22.2",
        policy_digest=sha256_hex(b"policies"),
        snapshot_digests=(
            Digest("aws-production.json", sha256_hex(b"aws %d" % n)),
            Digest("postgres-orders.json", sha256_hex(b"pg %d" % n)),
        ),
        findings_digest=canonical_digest({"findings": [f"finding-{n}"]}),
        artifacts=(
            Artifact("opa-comply.json", report),
            Artifact("opa-comply.html", b"<html>report %d</html>" % n),
        ),
    )


def build(directory: Path, count: int, signer: Signer | None) -> LocalLedger:
    ledger = LocalLedger(directory)
    for n in range(1, count + 1):
        append(ledger, entry(n), signer)
    return ledger


def ed25519_keys(directory: Path, name: str = "ledger") -> tuple[Path, Path]:
    key = Ed25519PrivateKey.generate()
    private = directory / f"{name}.pem"
    public = directory / f"{name}.pub.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def overwrite(path: Path, data: bytes) -> None:
    """Write over a read-only ledger file, as an attacker with the folder's owner would."""
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    path.write_bytes(data)


def load(path: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(path.read_bytes())
    return record


def rewrite_record(path: Path, rehash: bool, **changes: Any) -> None:
    """Change fields of a record file; with ``rehash`` also recompute its record_hash
    (an attacker without the signing key cannot recompute its signature)."""
    record = {**load(path), **changes}
    if rehash:
        record["record_hash"] = record_hash(record)
    overwrite(path, canonical(record))


def lines(problems: Any) -> list[str]:
    return [str(p) for p in problems]
