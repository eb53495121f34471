"""Running the app on uvicorn: our own listening socket, TLS checked before start.

The socket is bound here, not by uvicorn, so a port in use is our one-line error (uvicorn
would log it and exit 1, our exit code for findings) and `--port 0` can say which port it
got. uvicorn's graceful shutdown on SIGTERM or SIGINT stops accepting, lets requests in
flight finish (up to GRACE seconds), then runs the app's shutdown (OPA stopped).
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from compliance_opa.errors import EngineError, InputError

GRACE = 30  # seconds in-flight requests get to finish on shutdown


@dataclass(frozen=True)
class Listen:
    host: str = "127.0.0.1"
    port: int = 8080
    tls_cert: Path | None = None
    tls_key: Path | None = None
    log_level: str = "info"

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert else "http"

    def check(self) -> None:
        if not 0 <= self.port <= 65535:
            raise InputError(f"--port {self.port}: expected 0 to 65535")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise InputError("--tls-cert and --tls-key go together")
        if self.tls_cert is not None and self.tls_key is not None:
            # Named here: ssl's FileNotFoundError carries no file name.
            for option, path in (("--tls-cert", self.tls_cert), ("--tls-key", self.tls_key)):
                if not path.is_file():
                    raise InputError(f"{option} {path}: file not found")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            try:
                context.load_cert_chain(self.tls_cert, self.tls_key)
            except (ssl.SSLError, OSError) as exc:
                reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
                raise InputError(
                    f"--tls-cert {self.tls_cert} / --tls-key {self.tls_key}: unusable ({reason})"
                ) from exc


def bind(listen: Listen) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            listen.host, listen.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise InputError(f"--host {listen.host}: {exc.strerror}") from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise EngineError(
            f"cannot listen on {listen.host} port {listen.port}: {exc.strerror}"
        ) from exc
    sock.set_inheritable(True)
    return sock


def serve(app: ASGIApp, listen: Listen, sock: socket.socket, started: Callable[[], None]) -> None:
    """Serve until SIGTERM or SIGINT; ``started`` is called once the server accepts."""
    config = uvicorn.Config(
        app,
        ssl_certfile=str(listen.tls_cert) if listen.tls_cert else None,
        ssl_keyfile=str(listen.tls_key) if listen.tls_key else None,
        log_level=listen.log_level,
        timeout_graceful_shutdown=GRACE,
        server_header=False,
        proxy_headers=False,  # a forwarded header is not trusted unless we say so
        lifespan="on",
    )
    server = _Server(config, started)
    server.run(sockets=[sock])
    if not server.started:
        raise EngineError("the server did not start (see the log above)")


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, on_start: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_start = on_start

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_start()
