"""E-mail over SMTP: one plain-text message per batch of events for one recipient.

Recipients: with `to_owner`, an event goes to its owner's address (looked up in `owners`,
or the owner itself when it is an address); otherwise, and when the owner is unknown, to
the fixed `to` list. The outbox groups events by `recipients_for` and sends each group.

Transport security: STARTTLS by default, or implicit TLS (`tls`, port 465), both with a
verifying context (`ca_bundle` adds a private CA). Plain SMTP is only possible without a
password, or with `allow_insecure: true` (checked when the configuration is parsed).

The Message-ID is derived from the batch (kinds, dedup keys, scan ids) and recipients, so
a retry of the same batch carries the same ID and mail systems can drop the repeat.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import final

from compliance_opa.alerts.events import AlertEvent, DeliveryFailed

ADDRESS = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+")
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
MAX_LISTED = 200
_EXCERPT_CHARS = 200


def is_address(text: str) -> bool:
    return ADDRESS.fullmatch(text) is not None


@final  # resolve_secrets dispatches on the exact type
@dataclass(frozen=True)
class EmailChannel:
    name: str
    host: str
    sender: str
    to: tuple[str, ...]
    port: int = 587
    starttls: bool = True
    tls: bool = False  # implicit TLS from the first byte (port 465)
    username: str | None = None  # literal, or from username_env once resolved
    username_env: str | None = None
    password_env: str | None = None
    to_owner: bool = False
    owners: dict[str, str] = field(default_factory=dict, hash=False)
    ca_bundle: str | None = None
    allow_insecure: bool = False
    timeout: float = 10.0
    password: str | None = field(default=None, repr=False)  # from password_env once resolved

    @property
    def batches(self) -> bool:
        return True

    def recipients_for(self, event: AlertEvent) -> list[str]:
        if self.to_owner and event.owner:
            if event.owner in self.owners:
                return [self.owners[event.owner]]
            if is_address(event.owner):
                return [event.owner]
        return list(self.to)

    def send(self, events: Sequence[AlertEvent], recipient: str | None = None) -> None:
        """Send one message for the batch to `recipient` (None: the whole `to` list)."""
        if (self.password_env and self.password is None) or (
            self.username_env and self.username is None
        ):
            raise RuntimeError(f"channel {self.name}: call resolve_secrets() before send()")
        if not events:
            return
        to = [recipient] if recipient else list(self.to)
        self._deliver(email_message(events, self.sender, to), to)

    def _deliver(self, message: EmailMessage, to: list[str]) -> None:
        where = f"smtp://{self.host}:{self.port}"
        secrets = [self.password] if self.password else []
        try:
            with self._session() as client:
                refused = client.send_message(message, self.sender, to)
        except DeliveryFailed:
            raise
        except (smtplib.SMTPException, OSError) as exc:
            raise smtp_failure(exc, where, secrets) from None
        if refused:  # some recipients took it: only the refused ones are reported
            raise _refused(refused, where, secrets)

    @contextmanager
    def _session(self) -> Iterator[smtplib.SMTP]:
        context = self._tls_context() if (self.tls or self.starttls) else None
        # Host given to the constructor: it connects, and TLS checks the name against it.
        client = (
            smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            if self.tls
            else smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        )
        try:
            client.ehlo()
            if self.starttls:
                client.starttls(context=context)
                client.ehlo()
            if self.username is not None and self.password is not None:
                client.login(self.username, self.password)
            yield client
            _quit(client)
        finally:
            client.close()

    def _tls_context(self) -> ssl.SSLContext:
        try:
            return ssl.create_default_context(cafile=self.ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            detail = f"smtp://{self.host}:{self.port}: cannot load ca_bundle {self.ca_bundle}"
            raise DeliveryFailed(f"{detail} ({type(exc).__name__})", permanent=True) from None


def _quit(client: smtplib.SMTP) -> None:
    # The message is accepted by now: a server that hangs up instead of answering
    # QUIT must not turn a delivery into a failure (and a duplicate on retry).
    with suppress(smtplib.SMTPException, OSError):
        client.quit()


def smtp_failure(exc: BaseException, where: str, secrets: Sequence[str]) -> DeliveryFailed:
    """Classify an SMTP or socket error: 5xx replies are permanent, the rest transient."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _refused(exc.recipients, where, secrets)
    if isinstance(exc, smtplib.SMTPResponseException):
        code, reply = exc.smtp_code, _text(exc.smtp_error, secrets)
        detail = f"{where}: {_stage(exc)}: {code} {reply}".rstrip()
        return DeliveryFailed(detail, permanent=500 <= code < 600)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return DeliveryFailed(f"{where}: {_text(str(exc), secrets)}", permanent=True)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return DeliveryFailed(f"{where}: connection closed by the server")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DeliveryFailed(f"{where}: TLS certificate not trusted ({exc.verify_message})")
    if isinstance(exc, ssl.SSLError):
        return DeliveryFailed(f"{where}: TLS error ({exc.reason or type(exc).__name__})")
    if isinstance(exc, ConnectionRefusedError):
        return DeliveryFailed(f"{where}: connection refused")
    if isinstance(exc, TimeoutError):
        return DeliveryFailed(f"{where}: timed out")
    if isinstance(exc, OSError):
        return DeliveryFailed(f"{where}: connection failed ({type(exc).__name__})")
    return DeliveryFailed(f"{where}: {_text(str(exc), secrets)}", permanent=True)


def _refused(
    recipients: dict[str, tuple[int, bytes]], where: str, secrets: Sequence[str]
) -> DeliveryFailed:
    address, (code, reply) = sorted(recipients.items())[0]
    more = f" (and {len(recipients) - 1} more)" if len(recipients) > 1 else ""
    detail = f"{where}: recipient {address} refused: {code} {_text(reply, secrets)}{more}"
    # Permanent only when no refusal is temporary: a retry could deliver those.
    return DeliveryFailed(detail, permanent=all(c >= 500 for c, _ in recipients.values()))


def _stage(exc: smtplib.SMTPResponseException) -> str:
    stages: list[tuple[type[smtplib.SMTPResponseException], str]] = [
        (smtplib.SMTPAuthenticationError, "authentication refused"),
        (smtplib.SMTPSenderRefused, "sender refused"),
        (smtplib.SMTPDataError, "message refused"),
        (smtplib.SMTPConnectError, "connection refused by the server"),
        (smtplib.SMTPHeloError, "greeting refused"),
    ]
    return next((name for kind, name in stages if isinstance(exc, kind)), "server replied")


def _text(reply: bytes | str, secrets: Sequence[str]) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    for secret in secrets:
        text = text.replace(secret, "(secret)")
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1] + "…"


def email_message(events: Sequence[AlertEvent], sender: str, to: Sequence[str]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(events)
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(events, sender, to)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to alerts
    message.set_content(body(events))
    return message


def message_id(events: Sequence[AlertEvent], sender: str, to: Sequence[str]) -> str:
    # scan_id keeps a finding that reopens in a later scan from reusing the old ID,
    # which some mail systems would drop as a duplicate.
    keys = sorted(f"{e.kind}\0{e.dedup_key}\0{e.scan_id}" for e in events)
    digest = hashlib.sha256("\n".join([*keys, *sorted(to)]).encode("utf-8")).hexdigest()
    domain = sender.rpartition("@")[2] or "opa-comply.invalid"
    return f"<{digest[:40]}.opa-comply@{domain}>"


def subject(events: Sequence[AlertEvent]) -> str:
    opened = [e for e in events if e.kind == "trigger"]
    data = [e for e in events if e.kind == "data_change"]
    resolved = len(events) - len(opened) - len(data)
    parts = []
    if opened:
        parts.append(f"{_count(len(opened), 'new finding')} (highest: {_highest(opened)})")
    if data:
        parts.append(f"{_count(len(data), 'data store change')} (highest: {_highest(data)})")
    if resolved:
        parts.append(
            f"{resolved} resolved" if opened else f"{_count(resolved, 'finding')} resolved"
        )
    text = f"opa-comply: {', '.join(parts)} in {_scopes(events)}"
    return " ".join(text.split())[:250]  # a header is one line


def body(events: Sequence[AlertEvent]) -> str:
    opened = _riskiest_first(e for e in events if e.kind == "trigger")
    resolved = _riskiest_first(e for e in events if e.kind == "resolve")
    data = _riskiest_first(e for e in events if e.kind == "data_change")
    lines = [subject(events), ""]
    if data:  # a store became classified, moved region or lost encryption
        lines += _heading(f"Data store changes ({len(data)})")
        for event in data[:MAX_LISTED]:
            lines += [*_finding(event), ""]
        lines += _more(len(data))
    if opened:
        lines += _heading(f"New findings ({len(opened)})")
        for event in opened[:MAX_LISTED]:
            lines += [*_finding(event), ""]
        lines += _more(len(opened))
    if resolved:
        lines += _heading(f"Resolved ({len(resolved)})")
        for event in resolved[:MAX_LISTED]:
            lines.append(f"- {event.check_id}: {event.title} -- {event.resource}")
        lines += _more(len(resolved))
        lines.append("")
    lines += ["-- ", "Sent by opa-comply. Findings are listed riskiest first."]
    return "\n".join(lines) + "\n"


def _finding(event: AlertEvent) -> list[str]:
    lines = [
        f"[{event.severity.upper()}] risk {event.risk} -- {event.check_id}: {event.title}",
        f"  Resource:    {event.resource} ({event.resource_type})",
        f"  Message:     {event.message}",
        f"  Remediation: {event.remediation}",
    ]
    if event.owner:
        lines.append(f"  Owner:       {event.owner}")
    if event.controls:
        controls = "; ".join(
            f"{framework} {', '.join(ids)}" for framework, ids in sorted(event.controls.items())
        )
        lines.append(f"  Controls:    {controls}")
    lines.append(f"  Seen:        {event.occurred_at} (scan {event.scan_id})")
    return lines


def _heading(text: str) -> list[str]:
    return [text, "-" * len(text), ""]


def _more(count: int) -> list[str]:
    return [f"...and {count - MAX_LISTED} more", ""] if count > MAX_LISTED else []


def _riskiest_first(events: Iterable[AlertEvent]) -> list[AlertEvent]:
    return sorted(events, key=lambda e: (-e.risk, e.check_id, e.resource))


def _highest(events: Sequence[AlertEvent]) -> str:
    ranks = [SEVERITY_ORDER.index(e.severity) for e in events if e.severity in SEVERITY_ORDER]
    return SEVERITY_ORDER[min(ranks)] if ranks else events[0].severity


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _scopes(events: Sequence[AlertEvent]) -> str:
    return ", ".join(sorted({e.scope for e in events}))
