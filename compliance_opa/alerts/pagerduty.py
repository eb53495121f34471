"""PagerDuty Events API v2: one trigger or resolve per event, correlated by dedup_key.

A trigger opens (or updates) the alert whose dedup_key is the finding's; the resolve for
the same finding closes it. The routing key is a secret: it is never shown in a repr or
an error, and is blanked out of any response excerpt.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, final

from compliance_opa.alerts.events import AlertEvent
from compliance_opa.alerts.webhook import post

EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
SEVERITIES = {
    "critical": "critical",
    "high": "error",
    "medium": "warning",
    "low": "info",
    "info": "info",
}
_SUMMARY_CHARS = 1024  # the API's limit


@final  # resolve_secrets dispatches on the exact type
@dataclass(frozen=True)
class PagerDutyChannel:
    name: str
    routing_key_env: str
    url: str = EVENTS_URL
    timeout: float = 10.0
    routing_key: str | None = field(default=None, repr=False)  # from routing_key_env

    @property
    def batches(self) -> bool:
        return False

    def send(self, events: Sequence[AlertEvent], recipient: str | None = None) -> None:
        if self.routing_key is None:
            raise RuntimeError(f"channel {self.name}: call resolve_secrets() before send()")
        for event in events:
            body = json.dumps(pagerduty_event(event, self.routing_key), ensure_ascii=False)
            post(self.url, body.encode("utf-8"), {}, self.timeout, secrets=(self.routing_key,))


def pagerduty_event(event: AlertEvent, routing_key: str) -> dict[str, Any]:
    """The Events API v2 body: a resolve names only the alert it closes."""
    if event.kind == "resolve":
        return {
            "routing_key": routing_key,
            "event_action": "resolve",
            "dedup_key": event.dedup_key,
        }
    return {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": event.dedup_key,
        "client": "opa-comply",
        "payload": {
            "summary": _summary(event),
            "source": event.resource or "opa-comply",  # required and non-empty
            "severity": SEVERITIES.get(event.severity, "info"),
            "timestamp": event.occurred_at,
            "component": event.resource_type,
            "group": event.scope,
            "class": event.check_id,
            "custom_details": _details(event),
        },
    }


def _summary(event: AlertEvent) -> str:
    text = f"[{event.severity.upper()}] {event.check_id}: {event.title} — {event.resource}"
    text = " ".join(text.split())  # one line
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 1] + "…"


def _details(event: AlertEvent) -> dict[str, Any]:
    return {
        "check_id": event.check_id,
        "title": event.title,
        "severity": event.severity,
        "risk": event.risk,
        "resource": event.resource,
        "resource_type": event.resource_type,
        "message": event.message,
        "remediation": event.remediation,
        "controls": event.controls,
        "owner": event.owner,
        "environment": event.environment,
        "data_classes": event.data_classes,
        "scope": event.scope,
        "scan_id": event.scan_id,
    }
