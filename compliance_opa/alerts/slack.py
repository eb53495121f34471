"""Slack incoming webhook: one readable message per batch of events.

The message has a header line ("opa-comply: 3 new findings, 1 resolved in scope prod"),
one section per new finding (riskiest first, at most 20, then "…and N more"), and the
resolved findings listed together after them. Text from findings and resources is escaped
(&, <, >) so it cannot form links or @-mentions. The webhook URL is a secret: it never
appears in a repr or an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, final

from compliance_opa.alerts.events import AlertEvent
from compliance_opa.alerts.webhook import post

MAX_LISTED = 20
_HEADER_CHARS = 150  # Slack's limit for a header block
_SECTION_CHARS = 3000  # Slack's limit for a section's text
_MESSAGE_CHARS = 600

_SEVERITY_LABELS = {
    "critical": ":red_circle: *CRITICAL*",
    "high": ":large_orange_circle: *HIGH*",
    "medium": ":large_yellow_circle: *MEDIUM*",
    "low": ":large_blue_circle: *LOW*",
    "info": ":white_circle: *INFO*",
}


@final  # resolve_secrets dispatches on the exact type
@dataclass(frozen=True)
class SlackChannel:
    name: str
    url: str | None = field(default=None, repr=False)  # literal, or from url_env once resolved
    url_env: str | None = None
    timeout: float = 10.0

    @property
    def batches(self) -> bool:
        return True

    def send(self, events: Sequence[AlertEvent], recipient: str | None = None) -> None:
        if self.url is None:
            raise RuntimeError(f"channel {self.name}: call resolve_secrets() before send()")
        if not events:
            return
        body = json.dumps(slack_message(events), ensure_ascii=False).encode("utf-8")
        post(self.url, body, {}, self.timeout)


def slack_message(events: Sequence[AlertEvent]) -> dict[str, Any]:
    """The webhook payload: fallback text plus Block Kit blocks."""
    opened = _riskiest_first(e for e in events if e.kind == "trigger")
    resolved = _riskiest_first(e for e in events if e.kind == "resolve")
    data = _riskiest_first(e for e in events if e.kind == "data_change")
    headline = _headline(len(opened), len(resolved), events, len(data))
    blocks: list[dict[str, Any]] = [_header(headline)]
    # A store that became classified, moved region or lost encryption: first, it is rare.
    blocks += [_section(_finding_text(event)) for event in data[:MAX_LISTED]]
    if len(data) > MAX_LISTED:
        blocks.append(_context(f"…and {len(data) - MAX_LISTED} more data store changes"))
    blocks += [_section(_finding_text(event)) for event in opened[:MAX_LISTED]]
    if len(opened) > MAX_LISTED:
        blocks.append(_context(f"…and {len(opened) - MAX_LISTED} more new findings"))
    if resolved:
        blocks += [{"type": "divider"}, _section(_resolved_text(resolved))]
    return {"text": escape(headline), "blocks": blocks}


def escape(text: str) -> str:
    """Slack mrkdwn control characters; & first so the others are not escaped twice."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _riskiest_first(events: Iterable[AlertEvent]) -> list[AlertEvent]:
    return sorted(events, key=lambda e: (-e.risk, e.check_id, e.resource))


def _headline(opened: int, resolved: int, events: Sequence[AlertEvent], data: int = 0) -> str:
    parts = []
    if data:
        parts.append(f"{data} data store change{'s' if data != 1 else ''}")
    if opened:
        parts.append(f"{opened} new finding{'s' if opened != 1 else ''}")
    if resolved:
        parts.append(f"{resolved} resolved" if opened else f"{_findings(resolved)} resolved")
    scopes = sorted({e.scope for e in events})
    where = f"scope {scopes[0]}" if len(scopes) == 1 else f"scopes {', '.join(scopes)}"
    return f"opa-comply: {', '.join(parts)} in {where}"


def _findings(count: int) -> str:
    return f"{count} finding{'s' if count != 1 else ''}"


def _finding_text(event: AlertEvent) -> str:
    label = _SEVERITY_LABELS.get(event.severity, f"*{escape(event.severity.upper())}*")
    message = event.message
    if len(message) > _MESSAGE_CHARS:
        message = message[: _MESSAGE_CHARS - 1] + "…"
    lines = [
        f"{label} · risk {event.risk} · `{escape(event.check_id)}` {escape(event.title)}",
        f"*Resource:* {escape(event.resource)} ({escape(event.resource_type)})",
        escape(message),
    ]
    if event.owner:
        lines.append(f"*Owner:* {escape(event.owner)}")
    return "\n".join(lines)


def _resolved_text(resolved: list[AlertEvent]) -> str:
    lines = [f"*Resolved ({len(resolved)})*"]
    for event in resolved[:MAX_LISTED]:
        lines.append(
            f":white_check_mark: `{escape(event.check_id)}` {escape(event.title)}"
            f" · {escape(event.resource)}"
        )
    if len(resolved) > MAX_LISTED:
        lines.append(f"…and {len(resolved) - MAX_LISTED} more resolved")
    return "\n".join(lines)


def _header(text: str) -> dict[str, Any]:
    # plain_text is shown as typed, so the header is not escaped.
    if len(text) > _HEADER_CHARS:
        text = text[: _HEADER_CHARS - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def _section(text: str) -> dict[str, Any]:
    if len(text) > _SECTION_CHARS:
        text = text[: _SECTION_CHARS - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
