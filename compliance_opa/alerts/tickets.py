"""What the ticket channels (Jira, GitHub issues) share: the episode flow, the ticket
text, and JSON over HTTP with failures classified as the outbox expects.

One ticket follows one finding episode (scope, check, resource):

- trigger, no ticket known: look the fingerprint label up in the state store, then in
  the tracker (a bounded number of searches: Jira Cloud's search is eventually
  consistent), and create the ticket only if both miss; its key is recorded at once;
- trigger, ticket known and closed: a regression: reopen it and comment;
- trigger, ticket known and open: the same episode again (a retried delivery): nothing;
- change (the open finding's severity, risk or message changed): comment what it says now
  (a ticket not found yet is created, a closed one reopened, as for a trigger);
- resolve, ticket open: comment why (fixed, or the waiver's reason) and close it.

The label is the episode's dedup key (`opa-comply-<hash of scope, check, resource>`),
so a run killed after the create call finds the ticket it made instead of making another.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from compliance_opa.alerts.events import AlertEvent, DeliveryFailed
from compliance_opa.alerts.webhook import USER_AGENT, origin, parse_retry_after, response_excerpt
from compliance_opa.state import tickets as ticket_store
from compliance_opa.state.store import StateStore
from compliance_opa.support.printable import printable

SUMMARY_CHARS = 250  # Jira's summary holds 255; GitHub titles are longer
_READ_LIMIT = 1 << 20  # a tracker's JSON answer (a search page) stays well under this
DEADLINE_FACTOR = 3  # a whole answer's body is read within this many timeouts


@dataclass(frozen=True)
class Found:
    key: str
    open: bool


class Tracker(Protocol):
    """One issue tracker, as the episode flow uses it."""

    def find(self, label: str) -> Found | None: ...
    def create(self, event: AlertEvent, label: str) -> str: ...
    def comment(self, key: str, lines: Sequence[Line]) -> None: ...
    def close(self, key: str, waived: bool) -> None: ...
    def reopen(self, key: str) -> None: ...


Line = tuple[str, str]  # (label, text from the estate); a label "" is a heading-free line


def label_of(event: AlertEvent) -> str:
    return event.dedup_key


def summary(event: AlertEvent) -> str:
    """One line: severity, check title and resource (control characters escaped)."""
    text = " ".join(printable(f"[{event.severity}] {event.title}: {event.resource}").split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def report_link(event: AlertEvent, template: str | None) -> str | None:
    return template.replace("{scan_id}", event.scan_id) if template else None


def ticket_lines(event: AlertEvent, report_url: str | None) -> list[Line]:
    """What a ticket says of its finding, label by label (values are estate text)."""
    controls = "; ".join(f"{fw}: {', '.join(ids)}" for fw, ids in sorted(event.controls.items()))
    lines: list[Line] = [
        ("Check", f"{event.check_id} ({event.title})"),
        ("Resource", f"{event.resource} ({event.resource_type})"),
        ("Severity", event.severity),
        ("Risk", f"{event.risk}/100"),
        ("Finding", event.message),
        ("Controls", controls or "none mapped"),
        ("Remediation", event.remediation),
        ("Scope", event.scope),
        ("Scan", event.scan_id),
    ]
    if report_url:
        lines.append(("Report", report_url))
    lines.append(("Fingerprint", event.dedup_key))
    return lines


def resolve_lines(event: AlertEvent) -> list[Line]:
    if event.message.startswith("Waived: "):
        why = event.message
    else:
        why = "Fixed: a drift scan looked again and the finding is gone."
    return [("Resolved", why), ("Scan", event.scan_id)]


def change_lines(event: AlertEvent) -> list[Line]:
    return [("Changed", "the finding still fails and now reads:"), ("Finding", event.message),
            ("Severity", event.severity), ("Risk", f"{event.risk}/100"),
            ("Scan", event.scan_id)]  # fmt: skip


def regress_lines(event: AlertEvent) -> list[Line]:
    return [("Regressed", "the finding fails again."), ("Finding", event.message),
            ("Scan", event.scan_id)]  # fmt: skip


def waived(event: AlertEvent) -> bool:
    return event.message.startswith("Waived: ")


def handle(tracker: Tracker, store: StateStore, channel: str, event: AlertEvent) -> None:
    """One event through the episode flow (see the module docstring)."""
    label = label_of(event)
    known = ticket_store.lookup(store, channel, event.dedup_key)
    if known is None:
        found = tracker.find(label)
        if found is not None:
            state = "open" if found.open else "closed"
            # No scan yet: a change event still comments on a ticket found this way.
            ticket_store.record(store, channel, event.dedup_key, found.key, state, "")
            known = ticket_store.lookup(store, channel, event.dedup_key)
    # A data change opens a ticket of its own (its dedup key names the store and its new
    # value) that people close; the same change again reopens it.
    if event.kind in ("trigger", "change", "data_change"):
        if known is None:
            key = tracker.create(event, label)
            ticket_store.record(store, channel, event.dedup_key, key, "open", event.scan_id)
        elif known.state == "closed":
            tracker.reopen(known.ticket)
            ticket_store.record(
                store, channel, event.dedup_key, known.ticket, "open", event.scan_id
            )
            tracker.comment(known.ticket, regress_lines(event))
        elif event.kind == "change" and known.scan_id != event.scan_id:
            tracker.comment(known.ticket, change_lines(event))
            ticket_store.record(
                store, channel, event.dedup_key, known.ticket, "open", event.scan_id
            )
        return
    if known is not None and known.state == "open":
        tracker.comment(known.ticket, resolve_lines(event))
        tracker.close(known.ticket, waived(event))
        ticket_store.record(store, channel, event.dedup_key, known.ticket, "closed", event.scan_id)


def handle_all(
    tracker: Tracker,
    http: Http,
    store: StateStore | None,
    channel: str,
    events: Sequence[AlertEvent],
) -> None:
    """A ticket channel's send: every event through the flow, the connection closed after."""
    try:
        if store is None:
            raise RuntimeError(f"channel {channel}: needs the state store (bind_store)")
        for event in events:
            handle(tracker, store, channel, event)
    finally:
        http.close()


class _Sockets:
    """The sockets one Http opened, so a watchdog can shut them: the read timeout bounds
    each wait for a byte only, and a server that drips a status line or a header one
    byte a second would hold http.client's readline (and the send) for ever."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: list[socket.socket] = []
        self.expired = False

    def add(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self.lock:
                self.open.append(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.open.clear()


def _adapter(sockets: _Sockets) -> HTTPAdapter:
    class Connection(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    class TlsConnection(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            sockets.add(self.sock)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class TlsPool(HTTPSConnectionPool):
        ConnectionCls = TlsConnection

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": TlsPool}

    return Adapter()


class Http:
    """JSON over one requests.Session; every failure a classified DeliveryFailed whose
    detail names scheme://host:port only and blanks the secrets."""

    def __init__(
        self,
        base: str,
        headers: Mapping[str, str],
        timeout: float,
        secrets: Sequence[str],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base = base.rstrip("/")
        self.headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **headers}
        self.timeout = timeout
        self.secrets = tuple(secrets)
        self.sleep = sleep
        self.session = requests.Session()
        self.sockets = _Sockets()
        adapter = _adapter(self.sockets)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: Mapping[str, str] | None = None,
    ) -> tuple[Any, Mapping[str, str]]:
        """(parsed JSON answer or None, response headers)."""
        url = self.base + path
        where = origin(url)
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = dict(self.headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        budget = self.timeout * DEADLINE_FACTOR
        late = DeliveryFailed(f"{method} {where}: no whole answer within {budget:g}s")
        self.sockets.expired = False
        watchdog = threading.Timer(budget, self.sockets.expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            response = self.session.request(
                method, url, data=data, params=params, headers=headers,
                timeout=self.timeout, allow_redirects=False, stream=True,
            )  # fmt: skip
            with response:
                raw, cut = self._read(response, f"{method} {where}")
                self._check(response.status_code, response.headers, raw, cut, f"{method} {where}")
                answer_headers = dict(response.headers)
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            raise DeliveryFailed(f"{method} {where}: timed out after {self.timeout:g}s") from None
        # read1 is urllib3's own: a connection broken mid-body is its ProtocolError.
        except (requests.ConnectionError, urllib3.exceptions.ProtocolError, OSError):
            raise (late if self.sockets.expired else
                   DeliveryFailed(f"{method} {where}: connection failed")) from None  # fmt: skip
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            if self.sockets.expired:
                raise late from None
            raise DeliveryFailed(
                f"{method} {where}: request failed ({type(exc).__name__})", permanent=True
            ) from None
        finally:
            watchdog.cancel()
        if cut:
            raise DeliveryFailed(f"{method} {where}: the answer is longer than {_READ_LIMIT} bytes")
        if not raw.strip():
            return None, answer_headers
        try:
            return json.loads(raw), answer_headers
        # RecursionError: "[[[[..." nests deeper than the decoder's stack (not a ValueError).
        except (ValueError, RecursionError):
            raise DeliveryFailed(f"{method} {where}: the answer is not JSON") from None

    def _read(self, response: requests.Response, where: str) -> tuple[bytes, bool]:
        """The body, at most _READ_LIMIT bytes (and whether it was cut), within a deadline.

        The read timeout bounds each wait for a byte only: a server that drips one byte a
        second would hold a fixed-size read for ever, so read1 takes what has arrived and
        the whole answer gets DEADLINE_FACTOR timeouts."""
        deadline = time.monotonic() + self.timeout * DEADLINE_FACTOR
        raw = bytearray()
        while len(raw) <= _READ_LIMIT:
            if time.monotonic() > deadline:
                raise DeliveryFailed(
                    f"{where}: no whole answer within {self.timeout * DEADLINE_FACTOR:g}s"
                )
            chunk = response.raw.read1(65536, decode_content=True)
            if not chunk:
                return bytes(raw), False
            raw += chunk
        return bytes(raw[:_READ_LIMIT]), True

    def _check(
        self, status: int, headers: Mapping[str, str], raw: bytes, cut: bool, where: str
    ) -> None:
        if 200 <= status < 300:
            return
        excerpt = self.excerpt(raw, cut)
        detail = f"{where}: HTTP {status}" + (f": {excerpt}" if excerpt else "")
        if status == 429:
            raise DeliveryFailed(detail, retry_after=parse_retry_after(headers.get("Retry-After")))
        if status == 408 or status >= 500:
            raise DeliveryFailed(detail)
        if 300 <= status < 400:
            raise DeliveryFailed(f"{detail} (redirects are not followed)", permanent=True)
        raise DeliveryFailed(detail, permanent=True)

    def excerpt(self, raw: bytes, cut: bool) -> str:
        """An error body as a one-line, printable excerpt with every secret blanked.

        Secrets are blanked in the whole body read, not in a slice of it (a slice may cut
        a secret and keep its first characters); a body cut at the read limit also loses
        a trailing prefix of a secret. Control characters are escaped (an error page's
        ESC[2J reaches the outbox's last_error and the terminal)."""
        text = raw.decode("utf-8", "replace")
        for secret in self.secrets:
            if len(secret) > 1:
                text = text.replace(secret, "(secret)")
                if cut:
                    for n in range(len(secret) - 1, 0, -1):
                        if text.endswith(secret[:n]):
                            text = text[:-n]
                            break
        return response_excerpt(printable(" ".join(text.split())).encode("utf-8"))


def malformed(where: str, what: str) -> DeliveryFailed:
    """An answer of the wrong shape: retried (a proxy or a tracker glitch), never read as
    "no ticket" (that would create a second one) nor as a ticket key to record."""
    return DeliveryFailed(f"{where}: unexpected answer ({what})")
