"""Record a scan in the state store and, for drift scans, plan and queue its alerts.

Everything that decides what to send happens inside one transaction that holds the
store's write lock: reading the last scan of the scope and the open alert episodes,
comparing, recording this scan and writing the outbox. Two runs at once therefore
take turns, and the second compares with the first instead of both alerting.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from compliance_opa.alerts.outbox import enqueue, open_episodes
from compliance_opa.alerts.planning import AlertPlan, Recipients, plan_alerts
from compliance_opa.alerts.rules import Rule
from compliance_opa.drift import Drift, compare_scans
from compliance_opa.scan import ScanReport
from compliance_opa.state.history import last_scan, record_scan
from compliance_opa.state.store import StateStore, Transaction

NO_ALERTS = AlertPlan((), (), ())


@dataclass(frozen=True)
class Recorded:
    report: ScanReport  # with scan_id, scope and (for drift) the drift attached
    drift: Drift
    plan: AlertPlan


Publish = Callable[[ScanReport], None]


def record(
    store: StateStore,
    report: ScanReport,
    scope: str,
    kind: str,
    render_json: Callable[[ScanReport], str],
    publish: Publish,
    rules: Sequence[Rule] = (),
    recipients: Recipients | None = None,
) -> Recorded:
    """Compare with the scope's last scan of this kind, record this one, queue its alerts
    (if rules), and publish the reports before committing: a scan whose reports could not
    be written is not recorded either, so its findings are still new next time."""
    scan_id = str(uuid.uuid4())
    with store.transaction() as tx:
        drift, plan = _decide(tx, report, scope, kind, scan_id, rules, recipients)
        shown = replace(report, scan_id=scan_id, scope=scope, drift=drift)
        record_scan(tx, scan_id, scope, kind, shown, render_json(shown), drift)
        enqueue(tx, scope, scan_id, plan)
        publish(shown)
    return Recorded(shown, drift, plan)


def preview(
    store: StateStore,
    report: ScanReport,
    scope: str,
    kind: str,
    publish: Publish,
    rules: Sequence[Rule] = (),
    recipients: Recipients | None = None,
) -> Recorded:
    """What `record` would do, writing nothing to the store (--dry-run)."""
    with store.transaction() as tx:
        drift, plan = _decide(tx, report, scope, kind, "dry-run", rules, recipients)
    shown = replace(report, scope=scope, drift=drift)
    publish(shown)
    return Recorded(shown, drift, plan)


def _decide(
    tx: Transaction,
    report: ScanReport,
    scope: str,
    kind: str,
    scan_id: str,
    rules: Sequence[Rule],
    recipients: Recipients | None,
) -> tuple[Drift, AlertPlan]:
    previous = last_scan(tx, scope, kind)
    drift = compare_scans(
        report, previous[1] if previous else None, previous[0] if previous else None
    )
    if not rules:
        return drift, NO_ALERTS
    plan = plan_alerts(
        scope,
        scan_id,
        report.finished_at,
        report,
        rules,
        recipients or (lambda channel, event: ()),
        open_episodes(tx, scope),
    )
    return drift, plan
