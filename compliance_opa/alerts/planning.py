"""What a drift scan should send: one alert per channel per finding episode. Pure: no I/O.

An *episode* is a finding failing from the scan that first alerted on it until a drift
scan sees it gone (looked at again, no finding) or waived, whatever ran in between. A
channel hears of an episode once when it opens (trigger) and once when it closes
(resolve); repeating a scan while the finding stays open sends nothing, so nothing pages
twice. A finding that turned indeterminate, or that
this scan could not look at again (a coverage gap), keeps its episode open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from compliance_opa.alerts.events import AlertEvent
from compliance_opa.alerts.rules import Rule
from compliance_opa.domain.coverage import Recheck
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
