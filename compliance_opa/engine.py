"""Choosing the OPA to evaluate with: the managed sidecar (default) or a remote server."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from compliance_opa.errors import InputError
from compliance_opa.opa_binary import binary_version, find_opa_binary
from compliance_opa.opa_client import OpaClient
from compliance_opa.resources import policies_dir
from compliance_opa.sidecar import ManagedOpa


@dataclass(frozen=True)
class EngineSettings:
    opa_url: str | None = None
    token: str | None = None
    ca_bundle: Path | None = None
    timeout: float = 60.0
    policies: Path | None = None  # the sidecar's policy directory; bundled ones by default


@contextlib.contextmanager
def open_engine(settings: EngineSettings) -> Iterator[OpaClient]:
    """Yield a client to a ready OPA; a sidecar started here is stopped on the way out."""
    if settings.opa_url:
        if not settings.opa_url.startswith(("http://", "https://")):
            raise InputError(f"--opa-url {settings.opa_url}: expected an http:// or https:// URL")
        if settings.ca_bundle is not None and not settings.ca_bundle.is_file():
            raise InputError(f"{settings.ca_bundle}: CA bundle file not found")
        client = OpaClient(
            settings.opa_url,
            token=settings.token,
            ca_bundle=str(settings.ca_bundle) if settings.ca_bundle else None,
            timeout=settings.timeout,
        )
        try:
            yield client
        finally:
            client.close()
        return
    binary = find_opa_binary()
    binary_version(binary)
    with ManagedOpa(
        binary, settings.policies or policies_dir(), request_timeout=settings.timeout
    ) as client:
        yield client
