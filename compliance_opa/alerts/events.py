"""What an alert says, as queued in the outbox and handed to a channel. Pure values."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# change: ticket channels only. data_change: a data store became classified, moved
# region or lost encryption (alerts/planning.py): a notice of its own, no episode and
# no resolve; its check_id is one of domain/data_changes.py's CHECK_IDS.
EventKind = Literal["trigger", "resolve", "change", "data_change"]


@dataclass(frozen=True)
class AlertEvent:
    """One finding opening (trigger) or closing (resolve) for one channel; a ticket
    channel also hears of an open finding whose severity, risk or message changed.

    `dedup_key` is stable for the finding (scope, check, resource): PagerDuty uses it
    to resolve the incident it opened, webhooks send it as the idempotency key.
    """

    kind: EventKind
    dedup_key: str
    check_id: str
    title: str
    severity: str  # critical | high | medium | low | info
    risk: int  # 0-100
    resource: str
    resource_type: str
    message: str
    remediation: str
    controls: dict[str, list[str]]  # framework -> control ids
    scope: str
    scan_id: str
    occurred_at: str  # ISO 8601 UTC, when the scan saw it
    owner: str | None = None
    environment: str | None = None
    data_classes: list[str] = field(default_factory=list)
    source: str | None = None  # the collection scope of the resource, when known

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlertEvent:
        return cls(**data)


class DeliveryFailed(Exception):
    """A channel could not deliver. Transient failures are retried with backoff;
    permanent ones (a 4xx other than 408/429, a refused recipient) go to the dead letters."""

    def __init__(self, detail: str, permanent: bool = False, retry_after: float | None = None):
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent
        self.retry_after = retry_after  # seconds the receiver asked us to wait (429)
