"""Bearer tokens: configured as SHA-256 hashes with scopes, compared in constant time.

Every configured hash is compared with the presented token's, whatever matched before,
so the time taken says nothing about which token (or how much of one) was right. The
dashboard, read by a browser, may carry the same token in an HttpOnly, SameSite=Strict
cookie set by its login form; the cookie is honoured for the `read` scope only, so no
other site can make a browser validate or start anything.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from compliance_opa.config.serve import TokenSpec

COOKIE = "opa_comply_token"
# Longer presented tokens are refused before hashing: a header is not a place for MiBs.
MAX_TOKEN_CHARS = 512


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_CHARS:
        return None
    return token


def identify(token: str | None, tokens: Sequence[TokenSpec]) -> TokenSpec | None:
    """The configured token ``token`` is, comparing with every one in constant time."""
    if token is None:
        return None
    presented = token_hash(token).encode("ascii")
    found: TokenSpec | None = None
    for spec in tokens:
        if hmac.compare_digest(presented, spec.sha256.encode("ascii")):
            found = spec
    return found
