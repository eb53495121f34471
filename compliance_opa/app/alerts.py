"""The alert outbox as a service: deliver what is queued, list it, retry dead letters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from compliance_opa.alerts.channels import bind_store
from compliance_opa.alerts.outbox import (
    DeliveryResult,
    DeliverySettings,
    OutboxRow,
    Sender,
    deliver,
    list_rows,
    make_due,
    requeue_dead,
)
from compliance_opa.alerts.settings import alert_settings, resolve_channels
from compliance_opa.app.events import Events
from compliance_opa.app.stores import open_configured_store
from compliance_opa.config.load import Config, load_config
from compliance_opa.errors import ComplianceError, InputError
from compliance_opa.state.store import StateStore


def deliver_queued(
    store: StateStore,
    senders: Mapping[str, Sender],
    delivery: DeliverySettings,
    scope: str,
    quiet: bool,
    events: Events,
    queued: str = "",
) -> None:
    """Deliver what is queued for the scope (and anything left from earlier runs). A
    failure is a warning: the scan is recorded, and what is queued goes out next run."""
    try:
        result = deliver(store, bind_store(senders, store), delivery, scope)
    except ComplianceError as exc:
        events.warning(f"alerts not delivered: {exc}")
        return
    if not quiet:
        report_delivery(result, queued, events)


def report_delivery(result: DeliveryResult, before: str, events: Events) -> None:
    for line in result.errors:
        events.warning(line)
    events.note(
        f"alerts: {before}{result.sent} sent, {result.retrying} waiting to retry,"
        f" {result.dead} dead (opa-comply alerts list)"
    )


def list_alerts(statuses: Sequence[str], state: str | None, config: Path | None) -> list[OutboxRow]:
    loaded = load_config(config) if config is not None else Config()
    with open_configured_store(state, loaded, config) as store:
        return list_rows(store, statuses)


@dataclass(frozen=True)
class RetryOutcome:
    requeued: int
    result: DeliveryResult

    @property
    def undelivered(self) -> bool:
        return bool(self.result.retrying or self.result.dead)


def retry_alerts(
    ids: Sequence[int],
    state: str | None,
    config: Path | None,
    environ: Mapping[str, str],
) -> RetryOutcome:
    """Put dead alerts back in the queue and deliver everything pending now."""
    loaded = load_config(config) if config is not None else Config()
    alerting = alert_settings(str(config), loaded.alerts)
    if not alerting.channels:
        raise InputError("alerts retry: give --config with the alerts.channels to send through")
    senders = resolve_channels(alerting.channels, environ)
    with open_configured_store(state, loaded, config) as store:
        requeued = requeue_dead(store, ids)
        make_due(store)
        result = deliver(store, bind_store(senders, store), alerting.delivery)
    return RetryOutcome(requeued, result)
