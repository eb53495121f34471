"""What every handler of the service shares: settings, the warm OPA, the state store."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request

from compliance_opa.app.stores import open_configured_store
from compliance_opa.config.load import Config
from compliance_opa.config.serve import ServeSettings, TokenSpec
from compliance_opa.errors import EngineError
from compliance_opa.service.auth import COOKIE, MAX_TOKEN_CHARS, bearer, identify
from compliance_opa.service.engine import WarmEngine
from compliance_opa.service.http import ApiError
from compliance_opa.service.ratelimit import ConcurrencyLimit, RateLimiter
from compliance_opa.state.store import StateStore


class StorePool:
    """State store connections lent to one worker thread at a time. A connection that
    failed (EngineError: a dropped server, a locked or corrupt file) is closed, not lent
    again; the next borrower opens a fresh one. Idle connections are kept for reuse
    (opening one checks the file and the migrations) and closed with the service."""

    def __init__(self, opener: Callable[[], StateStore]) -> None:
        self._opener = opener
        self._idle: list[StateStore] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextlib.contextmanager
    def borrowed(self) -> Iterator[StateStore]:
        with self._lock:
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = self._opener()
        try:
            yield store
        except EngineError:
            store.close()
            raise
        except BaseException:
            self._give_back(store)
            raise
        self._give_back(store)

    def _give_back(self, store: StateStore) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


@dataclass
class Service:
    settings: ServeSettings
    config: Config
    config_path: Path | None
    state_url: str | None  # --state, else the config's state.url, else the default store
    engine: WarmEngine
    limiter: RateLimiter = field(init=False)
    plans: ConcurrencyLimit = field(init=False)
    stores: StorePool = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.settings.rate_per_second, self.settings.rate_burst)
        self.plans = ConcurrencyLimit(self.settings.max_concurrent_plans)
        self.stores = StorePool(
            lambda: open_configured_store(self.state_url, self.config, self.config_path)
        )

    def store(self) -> contextlib.AbstractContextManager[StateStore]:
        """A state store connection for the calling thread until the block ends."""
        return self.stores.borrowed()

    @property
    def threshold(self) -> float | None:
        value = self.config.report.get("threshold")
        return float(value) if value is not None else None

    def caller(self, request: Request, scope: str) -> TokenSpec:
        """The token the request carries, with ``scope``, else 401 (no or unknown token)
        or 403 (a token without that scope). The dashboard's cookie counts for `read`."""
        token = bearer(request.headers.get("authorization"))
        if token is None and scope == "read":
            cookie = request.cookies.get(COOKIE)
            token = cookie if cookie and len(cookie) <= MAX_TOKEN_CHARS else None
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
