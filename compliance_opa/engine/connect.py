"""Choosing the OPA to evaluate with: the managed sidecar (default) or a remote server."""

from __future__ import annotations

import contextlib
import math
import ssl
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from compliance_opa.engine.binary import binary_version, find_opa_binary
from compliance_opa.engine.catalogue import read_folder
from compliance_opa.engine.client import (
    DEFAULT_MAX_RESPONSE_BYTES,
    OpaClient,
    without_credentials,
)
from compliance_opa.engine.sidecar import ManagedOpa
from compliance_opa.errors import ComplianceError, EngineError, InputError
from compliance_opa.support.bundled import policies_dir

# A longer wait is a mistake (inf, 1e12), not a setting: it would overflow the clocks.
MAX_TIMEOUT = 24 * 60 * 60.0
# Far above any real CA bundle (the Mozilla one is about 200 KiB).
MAX_CA_BUNDLE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class EngineSettings:
    opa_url: str | None = None
    token: str | None = None
    ca_bundle: Path | None = None
    timeout: float = 60.0
    policies: Path | None = None  # the sidecar's policy directory; bundled ones by default
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES  # the largest OPA answer read

    def check(self) -> None:
        """Refuse unusable settings as bad usage (exit 2) before any OPA is contacted."""
        if not (math.isfinite(self.timeout) and 0 < self.timeout <= MAX_TIMEOUT):
            raise InputError(
                f"--opa-timeout {self.timeout:g}: expected a number of seconds above 0"
                f" and at most {MAX_TIMEOUT:g} (24 hours)"
            )
        if self.max_response_bytes < 1:
            raise InputError(f"max_response_bytes {self.max_response_bytes}: must be positive")
        if self.opa_url is None:
            if self.policies is not None and not self.policies.is_dir():
                raise InputError(f"--policies {self.policies}: not a directory")
            if self.ca_bundle is not None or self.token is not None:
                # Silently ignoring them would hide a missing --opa-url.
                raise InputError("OPA_TOKEN and --opa-ca-bundle apply to a remote OPA (--opa-url)")
            return
        if self.policies is not None:
            raise InputError("--policies applies to the managed sidecar, not to --opa-url")
        _check_url(self.opa_url)
        if self.ca_bundle is not None:
            _check_ca_bundle(self.ca_bundle)
        if self.token is not None:
            _check_token(self.token)


def clean_token(raw: str | None) -> str | None:
    """The token as sent: surrounding whitespace (a file's newline) is dropped."""
    token = (raw or "").strip()
    return token or None


@contextlib.contextmanager
def open_engine(settings: EngineSettings) -> Iterator[OpaClient]:
    """Yield a client to a ready OPA; a sidecar started here is stopped on the way out."""
    with started_engine(settings) as (client, wait_ready):
        wait_ready()
        yield client


@contextlib.contextmanager
def started_engine(
    settings: EngineSettings,
    types: Collection[str] | None = None,
) -> Iterator[tuple[OpaClient, Callable[[], None]]]:
    """Like open_engine, but a managed OPA is only started: the second value waits until
    it serves. OPA is started from the calling thread on purpose: on Linux it is told to
    die with the thread that started it (PR_SET_PDEATHSIG). ``types``: the input's
    resource types, when known (a managed OPA may then load only their checks)."""
    settings.check()
    if settings.opa_url:
        client = OpaClient(
            settings.opa_url,
            token=settings.token,
            ca_bundle=str(settings.ca_bundle) if settings.ca_bundle else None,
            timeout=settings.timeout,
            max_response_bytes=settings.max_response_bytes,
        )
        try:
            yield client, lambda: None
        finally:
            client.close()
        return
    sidecar = managed_sidecar(settings, wait=False, types=types)
    with sidecar as client:
        yield client, sidecar.wait_ready


def managed_sidecar(
    settings: EngineSettings,
    *,
    wait: bool,
    types: Collection[str] | None = None,
) -> ManagedOpa:
    """The managed OPA for ``settings`` (not started: enter it), on the pinned binary."""
    binary = find_opa_binary()
    binary_version(binary)
    return ManagedOpa(
        binary,
        settings.policies or policies_dir(),
        request_timeout=settings.timeout,
        max_response_bytes=settings.max_response_bytes,
        wait=wait,
        types=types,
    )


def _check_url(url: str) -> None:
    try:
        shown = without_credentials(url)
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise InputError(f"--opa-url: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"--opa-url {shown}: expected an http:// or https:// URL")
    try:
        host, _ = parts.hostname, parts.port
    except ValueError as exc:
        raise InputError(f"--opa-url {shown}: {exc}") from exc
    if not host:
        raise InputError(f"--opa-url {shown}: no host")
    if parts.query or parts.fragment:
        raise InputError(f"--opa-url {shown}: must not carry a query or fragment")


def _check_ca_bundle(path: Path) -> None:
    """A readable PEM file holding at least one certificate, or bad usage now: a bundle
    that cannot verify anything would otherwise surface as a TLS failure (exit 3)."""
    if not path.exists():
        raise InputError(f"{path}: CA bundle file not found (--opa-ca-bundle)")
    if not path.is_file():
        raise InputError(f"--opa-ca-bundle {path}: not a regular file")
    if path.stat().st_size > MAX_CA_BUNDLE_BYTES:
        raise InputError(
            f"--opa-ca-bundle {path}: over {MAX_CA_BUNDLE_BYTES:,} bytes, not a CA bundle"
        )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.load_verify_locations(cafile=str(path))
    except ssl.SSLError as exc:
        raise InputError(
            f"--opa-ca-bundle {path}: no PEM certificate in it ({exc.reason or exc})"
        ) from exc
    except OSError as exc:
        raise InputError(f"--opa-ca-bundle {path}: cannot read: {exc.strerror or exc}") from exc
    if context.cert_store_stats()["x509"] < 1:
        raise InputError(f"--opa-ca-bundle {path}: no PEM certificate in it")


def _check_token(token: str) -> None:
    # Visible ASCII only: anything else cannot travel in an HTTP header. The
    # token itself is never echoed.
    if not all(0x21 <= ord(c) <= 0x7E for c in token):
        raise InputError(
            "OPA_TOKEN holds a character an HTTP header cannot carry"
            " (whitespace, a control or non-ASCII character)"
        )


class PendingEngine:
    """An engine started early and waited for only when a client is needed. A managed OPA
    whose policies have a catalogue (catalogue.py) starts once the input's resource types
    are known, loading only their checks (about 0.1 s where all of them take 0.7); any
    other starts at once and loads and compiles its policies while the inputs are read.
    A start that fails is reported by ``client()``, so a scan that stops earlier for bad
    input reports that instead. ``close()`` (idempotent) stops a sidecar started here."""

    def __init__(self, settings: EngineSettings) -> None:
        self._settings = settings
        self._stack = contextlib.ExitStack()
        self._failed: ComplianceError | None = None
        self._wait_ready: Callable[[], None] = lambda: None
        self._client: OpaClient | None = None
        self._deferred = False  # True: the start waits for the input's types
        try:
            if settings.opa_url is None:
                settings.check()
                if read_folder(settings.policies or policies_dir()).catalogue is not None:
                    self._deferred = True
                    return
            self._client, self._wait_ready = self._stack.enter_context(started_engine(settings))
        except ComplianceError as exc:
            self._failed = exc

    def client(self, types: Collection[str] | None = None) -> OpaClient:
        if self._deferred and self._failed is None and self._client is None:
            started = started_engine(self._settings, types)
            self._client, self._wait_ready = self._stack.enter_context(started)
        if self._failed is not None or self._client is None:
            raise self._failed or EngineError("OPA engine not started")
        self._wait_ready()
        return self._client

    @contextlib.contextmanager
    def running(self, types: Collection[str] | None = None) -> Iterator[OpaClient]:
        """The client for the evaluation of an input of ``types`` (None: any). The engine
        is stopped on the way out, and its context sees the error that ends the
        evaluation (a sidecar that died says so)."""
        with self._stack:
            yield self.client(types)

    def close(self) -> None:
        self._stack.close()
