"""The tamper-evident evidence ledger: one hash-chained, optionally signed record per scan,
with copies of the scan's reports, in a local folder or an S3 bucket with Object Lock.

May import: inventory, domain, support, errors (not engine, state, reports or collect).
"""

from compliance_opa.evidence.ledger import append, open_ledger
from compliance_opa.evidence.problems import Kind, Problem
from compliance_opa.evidence.record import (
    GENESIS_HASH,
    RECORD_SCHEMA,
    Artifact,
    Digest,
    Entry,
    canonical,
    canonical_digest,
    file_digest,
    record_hash,
    sha256_hex,
    tree_digest,
)
from compliance_opa.evidence.settings import (
    EVIDENCE_SCHEMA,
    RETENTION_DAYS,
    default_ledger_path,
    load_evidence_section,
    retention_days,
)
from compliance_opa.evidence.signing import (
    Ed25519Signer,
    Ed25519Verifier,
    HmacSigner,
    HmacVerifier,
    Signer,
    Verifier,
    signer_from_config,
    verifier_from_config,
)
from compliance_opa.evidence.stores import LocalLedger, Store
from compliance_opa.evidence.verify import Expected, Verification, check, verify

__all__ = [
    "EVIDENCE_SCHEMA",
    "GENESIS_HASH",
    "RECORD_SCHEMA",
    "RETENTION_DAYS",
    "Artifact",
    "Digest",
    "Ed25519Signer",
    "Ed25519Verifier",
    "Entry",
    "Expected",
    "HmacSigner",
    "HmacVerifier",
    "Kind",
    "LocalLedger",
    "Problem",
    "Signer",
    "Store",
    "Verification",
    "Verifier",
    "append",
    "canonical",
    "canonical_digest",
    "check",
    "default_ledger_path",
    "file_digest",
    "load_evidence_section",
    "open_ledger",
    "record_hash",
    "retention_days",
    "sha256_hex",
    "signer_from_config",
    "tree_digest",
    "verifier_from_config",
    "verify",
]
