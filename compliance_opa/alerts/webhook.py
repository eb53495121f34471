"""HTTP delivery shared by the HTTP channels (Slack, PagerDuty), and the generic signed webhook.

A webhook POST carries one event:

    {"event": "finding.opened" | "finding.resolved",
     "idempotency_key": "<dedup_key>:<trigger|resolve>",
     "finding": {...AlertEvent fields...}}

with the headers

    Content-Type: application/json
    Idempotency-Key: <the same key as in the body>
    X-Opa-Comply-Timestamp: <unix seconds when it was sent>
    X-Opa-Comply-Signature: sha256=<hex HMAC-SHA256 over b"<timestamp>." + raw body>

The HMAC key is the shared secret (UTF-8). A receiver verifies the signature over the
raw body bytes as received (before parsing the JSON), compares in constant time
(`verify_signature` does both), rejects timestamps older than a few minutes to stop
replays, and drops repeats by Idempotency-Key: a retry after a timeout sends the same key.

Every failure becomes a DeliveryFailed whose detail names only scheme://host:port, never
the URL's path or query (a Slack webhook's path is its secret), and never the exception
text of requests/urllib3, which quotes the whole URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, final
from urllib.parse import urlsplit

import requests

from compliance_opa import __version__
from compliance_opa.alerts.events import AlertEvent, DeliveryFailed

USER_AGENT = f"opa-comply/{__version__}"
MAX_RETRY_AFTER = 3600.0
_EXCERPT_CHARS = 200
_READ_LIMIT = 4096  # an error body is only quoted, never needed whole


@final  # resolve_secrets dispatches on the exact type
@dataclass(frozen=True)
class WebhookChannel:
    """A generic HTTPS endpoint that receives one signed JSON event per POST."""

    name: str
    secret_env: str
    url: str | None = field(default=None, repr=False)  # literal, or from url_env once resolved
    url_env: str | None = None
    timeout: float = 10.0
    secret: str | None = field(default=None, repr=False)  # from secret_env once resolved

    @property
    def batches(self) -> bool:
        return False

    def send(self, events: Sequence[AlertEvent], recipient: str | None = None) -> None:
        url, secret = self.url, self.secret
        if url is None or secret is None:
            raise RuntimeError(f"channel {self.name}: call resolve_secrets() before send()")
        for event in events:
            key = idempotency_key(event)
            body = webhook_body(event)
            timestamp = str(int(time.time()))
            headers = {
                "Idempotency-Key": key,
                "X-Opa-Comply-Timestamp": timestamp,
                "X-Opa-Comply-Signature": sign(secret, timestamp, body),
            }
            post(url, body, headers, self.timeout, secrets=(secret,))


def idempotency_key(event: AlertEvent) -> str:
    # The scan that opened (or closed) the episode: a retry repeats the key, a finding
    # that reopens later gets a new one.
    return f"{event.dedup_key}:{event.kind}:{event.scan_id}"


# A data change carries the same fields as a finding (check_id is one of
# data_changes.CHECK_IDS, resource the store); receivers tell them apart by name.
_EVENT_NAMES = {"trigger": "finding.opened", "data_change": "data_store.changed"}


def webhook_body(event: AlertEvent) -> bytes:
    """The exact bytes that are signed and sent: serialised once."""
    document = {
        "event": _EVENT_NAMES.get(event.kind, "finding.resolved"),
        "idempotency_key": idempotency_key(event),
        "finding": event.as_json(),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def sign(secret: str, timestamp: str | int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret: str, timestamp: str | int, body: bytes, header: str) -> bool:
    """Whether `header` (X-Opa-Comply-Signature) signs this timestamp and raw body."""
    expected = sign(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), header.encode("utf-8", "replace"))


def post(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    secrets: Sequence[str] = (),
) -> None:
    """POST JSON bytes; return on 2xx, otherwise raise a classified DeliveryFailed.

    `secrets` are blanked out of any response excerpt (a receiver may echo a key back).
    """
    where = origin(url)
    all_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    try:
        with requests.Session() as session:
            # stream=True so an error body is read only up to _READ_LIMIT.
            response = session.post(
                url,
                data=body,
                headers=all_headers,
                timeout=timeout,
                allow_redirects=False,
                stream=True,
            )
            with response:
                parts = urlsplit(url)
                _check_status(response, where, (parts.path, parts.query, *secrets))
    # `from None` everywhere: the chained urllib3 errors quote the full URL.
    except requests.Timeout:
        raise DeliveryFailed(f"{where}: timed out after {timeout:g}s") from None
    except requests.ConnectionError as exc:
        raise DeliveryFailed(f"{where}: {_connection_problem(exc)}") from None
    except requests.RequestException as exc:
        problem = f"request failed ({type(exc).__name__})"
        raise DeliveryFailed(f"{where}: {problem}", permanent=True) from None


def _check_status(response: requests.Response, where: str, secrets: Sequence[str]) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    excerpt = response_excerpt(_head(response), secrets)
    detail = f"{where}: HTTP {status}" + (f": {excerpt}" if excerpt else "")
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        raise DeliveryFailed(detail, retry_after=retry_after)
    if status == 408 or status >= 500:
        raise DeliveryFailed(detail)
    if 300 <= status < 400:
        raise DeliveryFailed(f"{detail} (redirects are not followed)", permanent=True)
    raise DeliveryFailed(detail, permanent=True)


def _head(response: requests.Response) -> bytes:
    try:
        return next(response.iter_content(_READ_LIMIT), b"")
    except requests.RequestException:
        return b""  # the status alone classifies the failure


def response_excerpt(raw: bytes, secrets: Sequence[str] = ()) -> str:
    """At most 200 characters of a response body, on one line, secrets blanked."""
    text = raw.decode("utf-8", "replace")
    for secret in secrets:
        if len(secret) > 1:  # "/" (an empty path) is no secret and would mangle the text
            text = text.replace(secret, "(secret)")
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1] + "…"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), capped."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def origin(url: str) -> str:
    """scheme://host:port of a URL: what a message may show of it."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme, 0)
    except ValueError:
        return "(invalid URL)"
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}:{port}"


def _connection_problem(exc: BaseException) -> str:
    """What went wrong under a requests.ConnectionError, named without its text."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS handshake failed (certificate not trusted or TLS misconfigured)"
    for cause in _causes(exc):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, TimeoutError):
            return "connection timed out"
    return "connection failed"


def _causes(exc: BaseException) -> list[BaseException]:
    # requests wraps urllib3's MaxRetryError, whose `reason` wraps the socket error.
    seen: list[BaseException] = []
    pending: list[Any] = [exc]
    while pending and len(seen) < 20:
        current = pending.pop()
        if not isinstance(current, BaseException) or current in seen:
            continue
        seen.append(current)
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(current.args[:1])
    return seen
