"""What every handler of the service shares: settings, the warm OPA, the state store."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request

from compliance_opa.app.stores import open_configured_store
from compliance_opa.config.load import Config
from compliance_opa.config.serve import ServeSettings, TokenSpec
from compliance_opa.service.auth import COOKIE, bearer, identify
from compliance_opa.service.engine import WarmEngine
from compliance_opa.service.http import ApiError
from compliance_opa.service.ratelimit import RateLimiter
from compliance_opa.state.store import StateStore


@dataclass
class Service:
    settings: ServeSettings
    config: Config
    config_path: Path | None
    state_url: str | None  # --state, else the config's state.url, else the default store
    engine: WarmEngine
    limiter: RateLimiter = field(init=False)
    _local: threading.local = field(init=False, default_factory=threading.local)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.settings.rate_per_second, self.settings.rate_burst)

    @contextlib.contextmanager
    def store(self) -> Iterator[StateStore]:
        """The state store, one connection per worker thread (a SQLite connection
        belongs to the thread that opened it), opened on first use."""
        store: StateStore | None = getattr(self._local, "store", None)
        if store is None:
            store = open_configured_store(self.state_url, self.config, self.config_path)
            self._local.store = store
        yield store

    @property
    def threshold(self) -> float | None:
        value = self.config.report.get("threshold")
        return float(value) if value is not None else None

    def caller(self, request: Request, scope: str) -> TokenSpec:
        """The token the request carries, with ``scope``, else 401 (no or unknown token)
        or 403 (a token without that scope). The dashboard's cookie counts for `read`."""
        token = bearer(request.headers.get("authorization"))
        if token is None and scope == "read":
            token = request.cookies.get(COOKIE)
        spec = identify(token, self.settings.tokens)
        if spec is None:
            raise ApiError(
                401,
                "a bearer token is required" if token is None else "unknown token",
                {"WWW-Authenticate": 'Bearer realm="opa-comply"'},
            )
        if scope not in spec.scopes:
            raise ApiError(403, f"token {spec.name!r} lacks the {scope!r} scope")
        return spec

    def rate_limited(self, caller: TokenSpec) -> None:
        wait = self.limiter.take(caller.name)
        if wait > 0:
            seconds = max(1, round(wait + 0.5))
            raise ApiError(
                429, f"rate limit of token {caller.name!r} reached", {"Retry-After": str(seconds)}
            )


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service
