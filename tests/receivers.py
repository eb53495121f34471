"""Real receivers on loopback for the alert tests: an HTTP server and an SMTP server.

HttpReceiver records every request and answers from a script, then with a default:

    with HttpReceiver(default_status=202) as receiver:
        receiver.script(500, Reply(429, headers={"Retry-After": "1"}), "timeout", 202)
        ...  # send to receiver.url + "/any/path"
        receiver.requests[0].json

SmtpReceiver is aiosmtpd with STARTTLS required, or implicit TLS, using a trustme
certificate for 127.0.0.1 and localhost (`ca_path` is its CA, for the client's ca_bundle);
optional AUTH; scripted refusals: `refuse(address, "550 ...")` at RCPT and
`fail_data("451 ...")` at DATA. Messages are recorded parsed (`messages`, `wait_for`).

Both bind 127.0.0.1 port 0 only; every wait is bounded and stop() joins the threads.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import tempfile
import threading
import warnings
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

LOOPBACK = "127.0.0.1"
WAIT = 5.0  # the longest any receiver call waits


def _bounded_wait(condition: threading.Condition, ready: Callable[[], bool], what: str) -> None:
    if not condition.wait_for(ready, timeout=WAIT):
        raise TimeoutError(f"receiver: gave up waiting for {what} after {WAIT:g}s")


# --- HTTP -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status with optional headers and body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


Scripted = int | Reply | Literal["timeout"]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class _Receiver:
    """Started on entering a `with` block, stopped on leaving it."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class HttpReceiver(_Receiver):
    """A threaded HTTP server on 127.0.0.1 that records requests and plays a script."""

    def __init__(
        self, default_status: int = 200, default_body: bytes = b"ok", stall: float = 2.0
    ) -> None:
        self.default = Reply(default_status, body=default_body)
        self.stall = stall  # how long a "timeout" reply sleeps: longer than client timeouts
        self._requests: list[Request] = []
        self._script: deque[Scripted] = deque()
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._server = _Server((LOOPBACK, 0), _handler_for(self))
        # A short poll interval: shutdown() waits for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[Request]:
        with self._changed:
            return list(self._requests)

    def script(self, *replies: Scripted) -> None:
        """Answers for the next requests, one each, before the default resumes."""
        with self._changed:
            self._script.extend(replies)

    def wait_for(self, count: int) -> list[Request]:
        with self._changed:
            _bounded_wait(self._changed, lambda: len(self._requests) >= count, "requests")
            return list(self._requests)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping on a "timeout" reply
        started = self._thread.ident is not None
        if started:  # shutdown() would wait forever for a loop never started
            self._server.shutdown()
        self._server.server_close()  # joins the handler threads
        if started:
            self._thread.join(WAIT)

    def _record(self, request: Request) -> Scripted:
        with self._changed:
            self._requests.append(request)
            self._changed.notify_all()
            return self._script.popleft() if self._script else self.default


class _Server(ThreadingHTTPServer):
    # Handler threads are joined on server_close, so stop() leaves none behind.
    daemon_threads = False
    block_on_close = True


def _handler_for(receiver: HttpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: nothing left to join
        timeout = WAIT  # a client that stops sending cannot hold a thread

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            answer = receiver._record(Request(self.command, self.path, headers, body))
            if answer == "timeout":
                receiver._stopping.wait(receiver.stall)
                answer = receiver.default
            reply = answer if isinstance(answer, Reply) else Reply(int(answer))
            with suppress(OSError):  # the client may have given up (its timeout)
                self._reply(reply)

        do_PUT = do_POST

        def _reply(self, reply: Reply) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep pytest output quiet

    return Handler


# --- SMTP -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool  # whether the message came over TLS (STARTTLS or implicit)
    login: str | None  # the authenticated user, if any


class SmtpReceiver(_Receiver):
    """aiosmtpd on 127.0.0.1 with STARTTLS required (or implicit TLS) and optional AUTH."""

    def __init__(
        self, username: str | None = None, password: str | None = None, implicit_tls: bool = False
    ) -> None:
        self._credentials = (username, password) if username is not None else None
        self._directory = tempfile.TemporaryDirectory(prefix="opa-comply-smtp-")
        authority = trustme.CA()
        self.ca_path = Path(self._directory.name) / "ca.pem"
        authority.cert_pem.write_to_path(str(self.ca_path))
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert(LOOPBACK, "localhost").configure_cert(server_context)
        self._messages: list[Mail] = []
        self._refusals: dict[str, str] = {}
        self._data_failures: deque[str] = deque()
        self._changed = threading.Condition()
        # Implicit TLS wraps the whole connection (ssl_context); otherwise STARTTLS is
        # required (tls_context). aiosmtpd only counts STARTTLS as TLS for AUTH.
        tls: dict[str, Any] = (
            {"ssl_context": server_context, "auth_require_tls": False}
            if implicit_tls
            else {"tls_context": server_context, "require_starttls": True, "auth_require_tls": True}
        )
        self._controller = _LoopbackController(
            _SmtpHandler(self),
            hostname=LOOPBACK,
            port=0,
            server_hostname="localhost",
            auth_required=self._credentials is not None,
            authenticator=self._authenticate if self._credentials else None,
            ready_timeout=WAIT,
            probe_context=ssl.create_default_context(cafile=str(self.ca_path)),
            **tls,
        )

    @property
    def host(self) -> str:
        return LOOPBACK

    @property
    def port(self) -> int:
        return self._controller.bound_port

    @property
    def messages(self) -> list[Mail]:
        with self._changed:
            return list(self._messages)

    def refuse(self, address: str, reply: str = "550 5.1.1 mailbox unavailable") -> None:
        """Answer RCPT TO:<address> with `reply` (a 5xx or a 4xx)."""
        with self._changed:
            self._refusals[address] = reply

    def fail_data(self, reply: str = "451 4.3.0 try again later", times: int = 1) -> None:
        """Answer the next `times` messages' DATA with `reply`."""
        with self._changed:
            self._data_failures.extend([reply] * times)

    def wait_for(self, count: int) -> list[Mail]:
        with self._changed:
            _bounded_wait(self._changed, lambda: len(self._messages) >= count, "messages")
            return list(self._messages)

    def start(self) -> Self:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop(no_assert=True)
        self._directory.cleanup()

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        expected = self._credentials
        ok = (
            isinstance(data, LoginPassword)
            and expected is not None
            and (data.login.decode(), data.password.decode()) == expected
        )
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    def _refusal(self, address: str) -> str | None:
        with self._changed:
            return self._refusals.get(address)

    def _data_failure(self) -> str | None:
        with self._changed:
            return self._data_failures.popleft() if self._data_failures else None

    def _record(self, mail: Mail) -> None:
        with self._changed:
            self._messages.append(mail)
            self._changed.notify_all()


class _SmtpHandler:
    def __init__(self, receiver: SmtpReceiver) -> None:
        self.receiver = receiver

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        refusal = self.receiver._refusal(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        failure = self.receiver._data_failure()
        if failure is not None:
            return failure
        content = envelope.original_content or b""
        message = BytesParser(policy=default_policy).parsebytes(content)
        assert isinstance(message, EmailMessage)
        auth = session.auth_data
        self.receiver._record(
            Mail(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                message=message,
                tls=server.transport is not None
                and server.transport.get_extra_info("ssl_object") is not None,
                login=auth.login.decode() if isinstance(auth, LoginPassword) else None,
            )
        )
        return "250 Message accepted for delivery"


class _LoopbackController(Controller):
    """Controller on port 0: its readiness probe must connect to the port actually bound."""

    def __init__(self, handler: Any, probe_context: ssl.SSLContext, **options: Any) -> None:
        super().__init__(handler, **options)
        self.probe_context = probe_context

    def factory(self) -> SMTP:
        with warnings.catch_warnings():
            # With implicit TLS the socket itself is TLS; aiosmtpd warns regardless.
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return SMTP(self.handler, **self.SMTP_kwargs)

    @property
    def bound_port(self) -> int:
        server = self.server
        assert isinstance(server, asyncio.Server), "SMTP receiver not started"
        port: int = server.sockets[0].getsockname()[1]
        return port

    def _trigger_server(self) -> None:
        # Reading the greeting makes aiosmtpd build its SMTP instance (it does so lazily).
        with socket.create_connection((LOOPBACK, self.bound_port), WAIT) as probe:
            if self.ssl_context is None:
                probe.recv(1024)
                return
            with self.probe_context.wrap_socket(probe, server_hostname=LOOPBACK) as secured:
                secured.recv(1024)
