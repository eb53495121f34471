"""Requests another thread can abort: a deadline for the whole exchange, and cancelling.

Socket timeouts bound each read, not an answer sent a byte at a time, and a thread blocked
in a read cannot be interrupted (only the main thread sees Ctrl-C or SIGTERM). So every
socket a request uses is recorded in its `Exchange`; aborting it shuts them down, which
wakes the blocked thread with an error at once.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

DEADLINE = "deadline"
CANCELLED = "cancelled"


class Exchange:
    """One request and its answer, read in the thread that made it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._done = False
        self.aborted: str | None = None  # why: DEADLINE or CANCELLED

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            if self._done:
                return
            if self.aborted is None:
                self._sockets.append(sock)
                return
        _shut(sock)  # aborted before this socket existed

    def abort(self, why: str) -> None:
        with self._lock:
            if self._done or self.aborted is not None:
                return  # a finished exchange's socket may serve the next request
            self.aborted = why
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def finish(self) -> None:
        with self._lock:
            self._done = True
            self._sockets.clear()

    @property
    def finished(self) -> bool:
        return self._done


class _Deadlines:
    """One thread aborts every exchange whose deadline has passed. (A timer per exchange
    started a thread per OPA request, which the compliance service, answering hundreds of
    requests a second, paid on each one.)"""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, Exchange]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, current: Exchange, seconds: float) -> None:
        with self._wake:
            # Exchanges end long before their deadline: drop the ended ones in front.
            while self._due and self._due[0][2].finished:
                heapq.heappop(self._due)
            heapq.heappush(self._due, (time.monotonic() + seconds, next(self._order), current))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="opa-deadlines", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                while self._due and (self._due[0][2].finished or self._due[0][0] <= now):
                    _, _, current = heapq.heappop(self._due)
                    current.abort(DEADLINE)  # does nothing to an exchange that ended
                self._wake.wait(self._due[0][0] - now if self._due else None)


_current = threading.local()
_deadlines = _Deadlines()


@contextlib.contextmanager
def exchange(seconds: float) -> Iterator[Exchange]:
    """An exchange for the calling thread, aborted when ``seconds`` have passed."""
    current = Exchange()
    _current.exchange = current
    _deadlines.watch(current, seconds)
    try:
        yield current
    finally:
        current.finish()
        _current.exchange = None


def track(sock: socket.socket) -> socket.socket:
    """Record ``sock`` in the calling thread's exchange, if any."""
    current: Exchange | None = getattr(_current, "exchange", None)
    if current is not None:
        current.add(sock)
    return sock


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also under TLS: it acts on the descriptor.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class TrackedConnection(HTTPConnection):
    """A connection whose socket joins the exchange of each request sent on it."""

    def _new_conn(self) -> socket.socket:
        return track(super()._new_conn())

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None:  # a connection kept from an earlier request
            track(self.sock)
        super().request(method, url, *args, **kwargs)


class _TrackedTlsConnection(TrackedConnection, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = TrackedConnection


class _TlsPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedTlsConnection


_POOLS: dict[str, type[HTTPConnectionPool]] = {"http": _Pool, "https": _TlsPool}


class TrackedAdapter(HTTPAdapter):
    """requests over TCP (direct or through an HTTP proxy) on tracked connections."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        # SOCKS has pools of its own: through one, only each read is bounded.
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
