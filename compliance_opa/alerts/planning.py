"""What a drift scan should send: one alert per channel per finding episode. Pure: no I/O.

An *episode* is a finding failing from the scan that first alerted on it until a drift
scan sees it gone (looked at again, no finding) or waived, whatever ran in between. A
channel hears of an episode once when it opens (trigger) and once when it closes
(resolve); repeating a scan while the finding stays open sends nothing, so nothing pages
twice. A finding that turned indeterminate, or that
this scan could not look at again (a coverage gap), keeps its episode open.

A data change (a store that became classified, moved region or lost encryption since the
last drift scan: domain/data_changes.py) is a `data_change` event of its own: routed by
the same rules (`data_class` matches the classes the change is about), queued in the
same outbox, with no episode: the next drift compares with this one, so the change is
not seen again and nothing is sent twice. Its dedup key is the scope, the change's
check-like id and the store with its new value, so a receiver drops a redelivery and a
store that moves back and forth again is a new event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from compliance_opa.alerts.events import AlertEvent
from compliance_opa.alerts.rules import Rule
from compliance_opa.domain.coverage import Recheck
from compliance_opa.domain.data_changes import DataChange
from compliance_opa.domain.findings import Finding, Status
from compliance_opa.domain.identity import dedup_key
from compliance_opa.domain.report import ScanReport


@dataclass(frozen=True)
class Episode:
    channel: str
    event: AlertEvent  # the trigger that opened it
    recipients: tuple[str, ...]  # "" stands for the channel's own destination

    @property
    def dedup_key(self) -> str:
        return self.event.dedup_key


@dataclass(frozen=True)
class Delivery:
    """One outbox row to be: an event for one channel and one recipient."""

    channel: str
    recipient: str
    event: AlertEvent


@dataclass(frozen=True)
class AlertPlan:
    deliveries: tuple[Delivery, ...]
    opened: tuple[Episode, ...]
    closed: tuple[Episode, ...]
    changed: tuple[Episode, ...] = ()  # open episodes whose finding changed (new event)


Recipients = Callable[[str, AlertEvent], Sequence[str]]


def plan_alerts(
    scope: str,
    scan_id: str,
    occurred_at: str,
    report: ScanReport,
    rules: Sequence[Rule],
    recipients: Recipients,
    open_episodes: Mapping[tuple[str, str], Episode],  # (channel, dedup key) -> episode
    follows_changes: Callable[[str], bool] | None = None,  # channels told of changes
    data_changes: Sequence[DataChange] = (),
) -> AlertPlan:
    opened: dict[tuple[str, str], Episode] = {}
    changed: dict[tuple[str, str], Episode] = {}
    for finding in report.findings_by_severity():
        if finding.status is not Status.FAIL:
            continue
        facts = report.resources.get(finding.resource)
        event = _trigger(scope, scan_id, occurred_at, finding, report)
        for rule in rules:
            if not rule.matches(finding, facts):
                continue
            for channel in rule.channels:
                key = (channel, event.dedup_key)
                episode = open_episodes.get(key)
                if (
                    episode is not None
                    and key not in changed
                    and follows_changes is not None
                    and follows_changes(channel)
                    and _differs(episode.event, event)
                ):
                    changed[key] = Episode(channel, event, episode.recipients)
                if episode is not None or key in opened:
                    continue
                to = tuple(recipients(channel, event)) or ("",)
                opened[key] = Episode(channel, event, to)
    closed = _closing(report, open_episodes.values())
    deliveries = [Delivery(e.channel, r, e.event) for e in opened.values() for r in e.recipients]
    deliveries += [
        Delivery(e.channel, r, replace(e.event, kind="change"))
        for e in changed.values()
        for r in e.recipients
    ]
    why = _waived_messages(report)
    deliveries += [
        Delivery(e.channel, r, replace(e.event, kind="resolve", scan_id=scan_id,
                                       occurred_at=occurred_at,
                                       message=why.get((e.event.check_id, e.event.resource),
                                                       e.event.message)))
        for e in closed
        for r in e.recipients
    ]  # fmt: skip
    deliveries += _data_deliveries(
        scope, scan_id, occurred_at, report, rules, recipients, data_changes
    )
    return AlertPlan(
        tuple(deliveries), tuple(opened.values()), tuple(closed), tuple(changed.values())
    )


def _differs(before: AlertEvent, now: AlertEvent) -> bool:
    return (before.severity, before.risk, before.message) != (now.severity, now.risk, now.message)


def _closing(report: ScanReport, episodes: Iterable[Episode]) -> list[Episode]:
    """Episodes that end now: their finding is gone and this scan looked again (whatever
    scans ran in between), or it is only waived now (risk accepted)."""
    recheck = Recheck(report)
    statuses: dict[tuple[str, str], set[Status]] = {}
    for f in report.findings:
        statuses.setdefault((f.check.check_id, f.resource), set()).add(f.status)
    return [
        e
        for e in episodes
        if recheck.gone(e.event.check_id, e.event.resource, e.event.source)
        or statuses.get((e.event.check_id, e.event.resource)) == {Status.WAIVED}
    ]


def _waived_messages(report: ScanReport) -> dict[tuple[str, str], str]:
    """A resolve that a waiver caused says so, with the waiver's reason (ticket channels
    put it in the closing comment); "Waived: " starts the message."""
    out: dict[tuple[str, str], str] = {}
    for f in report.findings:
        if f.status is Status.WAIVED and f.waiver is not None:
            w = f.waiver
            out[(f.check.check_id, f.resource)] = (
                f"Waived: {w.reason} (owner {w.owner}, approved by {w.approver},"
                f" ticket {w.ticket}, until {w.expires.isoformat()})"
            )
    return out


def _trigger(
    scope: str, scan_id: str, occurred_at: str, finding: Finding, report: ScanReport
) -> AlertEvent:
    facts = report.resources.get(finding.resource)
    return AlertEvent(
        kind="trigger",
        dedup_key=dedup_key(scope, finding.check.check_id, finding.resource),
        check_id=finding.check.check_id,
        title=finding.check.title,
        severity=finding.check.severity.value,
        risk=finding.risk,
        resource=finding.resource,
        resource_type=finding.resource_type,
        message=finding.message,
        remediation=finding.check.remediation,
        controls={
            f: list(finding.check.controls[f])
            for f in report.frameworks
            if finding.check.controls.get(f)
        },
        scope=scope,
        scan_id=scan_id,
        occurred_at=occurred_at,
        owner=facts.owner if facts else None,
        environment=facts.environment if facts else None,
        data_classes=list(facts.data_classes) if facts else [],
        source=facts.source if facts else None,
    )


# Why a data change matters, per data class: the records it belongs in.
_DATA_CONTROLS: dict[str, dict[str, list[str]]] = {
    "pii": {"gdpr": ["Art. 30"]},
    "phi": {"hipaa": ["164.308(a)(1)(ii)(A)"]},
    "pci": {"pci_dss": ["12.5.2"]},
}

_DATA_TITLES: dict[str, str] = {
    "classified": "A data class appeared on a data store",
    "region": "A data store moved region",
    "encryption_at_rest": "A data store lost encryption at rest",
    "encryption_in_transit": "A data store lost encryption in transit",
}

_DATA_REMEDIATION: dict[str, str] = {
    "classified": "Confirm the store is meant to hold this data; add it to the records of"
    " processing (and to the PCI DSS scope for card data), or remove the data.",
    "region": "Confirm the move was intended and the new region is allowed for this data.",
    "encryption_at_rest": "Enable encryption at rest on the store (a customer-managed key"
    " for card and health data).",
    "encryption_in_transit": "Require TLS for every connection to the store.",
}


def data_change_event(
    scope: str, scan_id: str, occurred_at: str, change: DataChange, frameworks: Sequence[str]
) -> AlertEvent:
    """The event of one data change (kind `data_change`)."""
    severity, risk = _data_severity(change)
    controls: dict[str, list[str]] = {}
    for code in change.data_classes:
        for framework, ids in _DATA_CONTROLS.get(code, {}).items():
            if framework in frameworks:
                controls.setdefault(framework, []).extend(ids)
    return AlertEvent(
        kind="data_change",
        dedup_key=dedup_key(scope, change.check_id, f"{change.address}\x1f{change.after or ''}"),
        check_id=change.check_id,
        title=_DATA_TITLES[change.kind],
        severity=severity,
        risk=risk,
        resource=change.address,
        resource_type=change.type,
        message=change.describe(),
        remediation=_DATA_REMEDIATION[change.kind],
        controls=controls,
        scope=scope,
        scan_id=scan_id,
        occurred_at=occurred_at,
        owner=change.owner,
        environment=change.environment,
        data_classes=list(change.data_classes),
        source=None,
    )


def _data_severity(change: DataChange) -> tuple[str, int]:
    sensitive = bool({"pci", "phi"} & set(change.data_classes))
    if change.kind == "classified":
        return ("high", 70) if sensitive else ("medium", 50)
    if change.kind == "region":
        return ("high", 70) if change.region_allowed is False else ("medium", 50)
    return ("high", 80) if sensitive else ("high", 70)


def _data_deliveries(
    scope: str,
    scan_id: str,
    occurred_at: str,
    report: ScanReport,
    rules: Sequence[Rule],
    recipients: Recipients,
    data_changes: Sequence[DataChange],
) -> list[Delivery]:
    out: list[Delivery] = []
    for change in data_changes:
        event = data_change_event(scope, scan_id, occurred_at, change, report.frameworks)
        facts = report.resources.get(change.address)
        channels: dict[str, None] = {}
        for rule in rules:
            if rule.matches_event(event, facts):
                channels.update(dict.fromkeys(rule.channels))
        for channel in channels:
            out += [Delivery(channel, r, event) for r in tuple(recipients(channel, event)) or ("",)]
    return out
