"""Requests another thread can abort: a deadline for the whole exchange, and cancelling.

Socket timeouts bound each read, not an answer sent a byte at a time, and a thread blocked
in a read cannot be interrupted (only the main thread sees Ctrl-C or SIGTERM). So every
socket a request uses is recorded in its `Exchange`; aborting it shuts them down, which
wakes the blocked thread with an error at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
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


_current = threading.local()


@contextlib.contextmanager
def exchange(seconds: float) -> Iterator[Exchange]:
    """An exchange for the calling thread, aborted when ``seconds`` have passed."""
    current = Exchange()
    timer = threading.Timer(seconds, current.abort, (DEADLINE,))
    timer.daemon = True
    _current.exchange = current
    timer.start()
    try:
        yield current
    finally:
        timer.cancel()
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
