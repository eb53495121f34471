"""Signatures over record hashes: HMAC-SHA256 (shared key) or Ed25519 (key pair).

A signature covers the ASCII hex ``record_hash``, which covers the record, so anyone
without the key who edits a record and recomputes its hash is still caught. Errors
name the key's file or variable, never its contents.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from compliance_opa.errors import InputError

# cryptography is imported where an Ed25519 key is used: HMAC or unsigned ledgers (and
# scans without evidence) never load it.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HMAC = "hmac-sha256"
ED25519 = "ed25519"
MIN_HMAC_KEY_BYTES = 32  # a 256-bit key, as for HMAC-SHA256 in RFC 2104's guidance
_MAX_PEM_BYTES = 64 * 1024


class Signer(Protocol):
    @property
    def alg(self) -> str: ...
    @property
    def key_id(self) -> str: ...
    def sign(self, message: bytes) -> bytes: ...


class Verifier(Protocol):
    @property
    def alg(self) -> str: ...
    @property
    def key_id(self) -> str: ...
    def verify(self, message: bytes, signature: bytes) -> bool: ...


def signature_of(signer: Signer, hash_hex: str) -> dict[str, str]:
    value = base64.b64encode(signer.sign(hash_hex.encode("ascii"))).decode("ascii")
    return {"alg": signer.alg, "key_id": signer.key_id, "value": value}


def signature_verifies(verifier: Verifier, hash_hex: str, signature: Mapping[str, Any]) -> bool:
    try:
        value = base64.b64decode(str(signature["value"]), validate=True)
    except (binascii.Error, ValueError):
        return False
    return signature["alg"] == verifier.alg and verifier.verify(hash_hex.encode("ascii"), value)


@dataclass(frozen=True)
class HmacSigner:
    key: bytes = field(repr=False)
    key_id: str
    alg: str = HMAC

    def __post_init__(self) -> None:
        _check_hmac_key(self.key, "HMAC key")

    def sign(self, message: bytes) -> bytes:
        return hmac.new(self.key, message, hashlib.sha256).digest()


@dataclass(frozen=True)
class HmacVerifier:
    key: bytes = field(repr=False)
    key_id: str = ""  # only a label in messages: the key decides
    alg: str = HMAC

    def __post_init__(self) -> None:
        _check_hmac_key(self.key, "HMAC key")

    def verify(self, message: bytes, signature: bytes) -> bool:
        expected = hmac.new(self.key, message, hashlib.sha256).digest()
        return hmac.compare_digest(expected, signature)


class Ed25519Signer:
    """Signs with an unencrypted PKCS#8 PEM Ed25519 private key."""

    alg = ED25519

    def __init__(self, private_key_pem_path: str | Path, key_id: str | None = None) -> None:
        path = Path(private_key_pem_path)
        pem = _read_pem(path, "ed25519_private_key")
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError, UnicodeError):
            key = None  # the library's message is not shown: it may quote the file
        if not isinstance(key, Ed25519PrivateKey):
            raise InputError(
                f"evidence.ed25519_private_key {path}: not an unencrypted Ed25519 private key"
                " in PEM (openssl genpkey -algorithm ed25519)"
            )
        self._key = key
        self.key_id = key_id or fingerprint(key.public_key())

    def __repr__(self) -> str:
        return f"Ed25519Signer(key_id={self.key_id!r})"

    def public_key(self) -> Ed25519PublicKey:
        return self._key.public_key()

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


class Ed25519Verifier:
    """Verifies with a PEM (SubjectPublicKeyInfo) Ed25519 public key."""

    alg = ED25519

    def __init__(self, public_key_pem_path: str | Path, key_id: str | None = None) -> None:
        path = Path(public_key_pem_path)
        pem = _read_pem(path, "ed25519_public_key")
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            key = serialization.load_pem_public_key(pem)
        except (ValueError, TypeError, UnicodeError):
            key = None
        if not isinstance(key, Ed25519PublicKey):
            raise InputError(
                f"evidence.ed25519_public_key {path}: not an Ed25519 public key in PEM"
                " (openssl pkey -in private.pem -pubout)"
            )
        self._key = key
        self.key_id = key_id or fingerprint(key)

    @classmethod
    def from_key(cls, key: Ed25519PublicKey, key_id: str | None = None) -> Ed25519Verifier:
        verifier = cls.__new__(cls)
        verifier._key = key
        verifier.key_id = key_id or fingerprint(key)
        return verifier

    def __repr__(self) -> str:
        return f"Ed25519Verifier(key_id={self.key_id!r})"

    def verify(self, message: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


def fingerprint(key: Ed25519PublicKey) -> str:
    """A default key id: the start of the sha256 of the raw public key."""
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"ed25519:{hashlib.sha256(raw).hexdigest()[:16]}"


def signer_from_config(section: Mapping[str, Any], environ: Mapping[str, str]) -> Signer | None:
    """The signer the `evidence:` section names, or None when it names no key."""
    key_id = section.get("key_id")
    if "hmac_key_env" in section and "ed25519_private_key" in section:
        raise InputError("evidence: give hmac_key_env or ed25519_private_key, not both")
    if "hmac_key_env" in section:
        name = section["hmac_key_env"]
        return HmacSigner(_hmac_key(name, environ), key_id or name)
    if "ed25519_private_key" in section:
        return Ed25519Signer(section["ed25519_private_key"], key_id)
    return None


def verifier_from_config(section: Mapping[str, Any], environ: Mapping[str, str]) -> Verifier | None:
    """The verifier for the section's key: the HMAC key, else the Ed25519 public key
    (or the public half of the private key), else None."""
    key_id = section.get("key_id")
    if "hmac_key_env" in section and (
        "ed25519_private_key" in section or "ed25519_public_key" in section
    ):
        raise InputError("evidence: give hmac_key_env or an Ed25519 key, not both")
    if "hmac_key_env" in section:
        name = section["hmac_key_env"]
        return HmacVerifier(_hmac_key(name, environ), key_id or name)
    if "ed25519_public_key" in section:
        return Ed25519Verifier(section["ed25519_public_key"], key_id)
    if "ed25519_private_key" in section:
        signer = Ed25519Signer(section["ed25519_private_key"], key_id)
        return Ed25519Verifier.from_key(signer.public_key(), signer.key_id)
    return None


def _hmac_key(name: str, environ: Mapping[str, str]) -> bytes:
    value = environ.get(name, "")
    if not value:
        raise InputError(f"evidence.hmac_key_env: ${name} is not set (the ledger's HMAC key)")
    key = value.encode("utf-8")
    _check_hmac_key(key, f"${name}")
    return key


def _check_hmac_key(key: bytes, what: str) -> None:
    if len(key) < MIN_HMAC_KEY_BYTES:
        raise InputError(
            f"evidence: {what} is {len(key)} bytes; use at least {MIN_HMAC_KEY_BYTES}"
            " (e.g. openssl rand -hex 32)"
        )


def _read_pem(path: Path, option: str) -> bytes:
    try:
        if path.stat().st_size > _MAX_PEM_BYTES:
            raise InputError(f"evidence.{option} {path}: too large for a PEM key")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"evidence.{option} {path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"evidence.{option} {path}: cannot read: {exc.strerror or exc}") from exc
