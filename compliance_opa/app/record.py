"""Record a scan in the state store and, for drift scans, plan and queue its alerts.

Recording happens before the scan's outputs are written and completing after: a scan
whose reports could not be written stays incomplete, so the next scan compares with the
one before it and its failures still gate (see app/scan.py for the order of the steps).

Everything that decides what to send happens inside one transaction that holds the
store's write lock: reading the last complete scan of the scope and the open alert
episodes, comparing, recording this scan and writing the outbox. Two runs at once
therefore take turns, and the open episodes keep the second from alerting again.

The previous scan, the rule: a run compares with the last *complete* scan of its scope
and kind. So that a run started while another run of the scope is between recording and
completing still compares with that run's scan, runs of one scope take turns for longer
than the transaction: `record` takes the scope's run lock (`StateStore.hold_scope`)
before it reads the previous scan and `complete` gives it back once the scan is complete.
A second run waits (up to `state.lock_timeout`) for the first to write its outputs, then
compares with the first's scan; when the first failed or died, its scan stays
incomplete, the lock is released when its store closes (or its process ends), and the
second compares with the scan before it. `preview` (--dry-run) waits its turn the same way.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from compliance_opa.alerts.outbox import enqueue, open_episodes
from compliance_opa.alerts.planning import AlertPlan, Recipients, plan_alerts
from compliance_opa.alerts.rules import Rule
from compliance_opa.domain.changes import Drift
from compliance_opa.domain.data_changes import DataChange, changes, gone_from
from compliance_opa.domain.data_map import DataStore
from compliance_opa.domain.data_map_json import from_dict as data_map_from
from compliance_opa.domain.drift import compare_scans
from compliance_opa.domain.report import ScanReport
from compliance_opa.errors import ComplianceError, EngineError
from compliance_opa.state.history import last_scan, mark_complete, record_scan, stored_report
from compliance_opa.state.store import StateStore, Transaction

NO_ALERTS = AlertPlan((), (), ())


@dataclass(frozen=True)
class Recorded:
    report: ScanReport  # with scan_id, scope and (for drift) the drift attached
    drift: Drift
    plan: AlertPlan


def record(
    store: StateStore,
    report: ScanReport,
    scope: str,
    kind: str,
    render_json: Callable[[ScanReport], str],
    rules: Sequence[Rule] = (),
    recipients: Recipients | None = None,
    follows_changes: Callable[[str], bool] | None = None,
) -> Recorded:
    """Compare with the scope's last complete scan of this kind and record this one, with
    its alert episodes and outbox, in one transaction. The scan stays incomplete until
    `complete`: the service marks it once its outputs are written. Holds the scope's run
    lock from before the previous scan is read until `complete`, `release` or the store
    closes."""
    store.hold_scope(scope)
    scan_id = str(uuid.uuid4())
    with store.transaction() as tx:
        drift, plan = _decide(tx, report, scope, kind, scan_id, rules, recipients, follows_changes)
        shown = _shown(report, kind, drift, scan_id, scope)
        record_scan(tx, scan_id, scope, kind, shown, render_json(shown), drift)
        enqueue(tx, scope, scan_id, plan)
    return Recorded(shown, drift, plan)


def complete(store: StateStore, scan_id: str) -> None:
    """Mark a recorded scan complete: later comparisons start from it. The next run of
    the scope may go ahead then (the scope's run lock is released, even on failure)."""
    try:
        with store.transaction() as tx:
            mark_complete(tx, scan_id)
    finally:
        store.release_scope()


def release(store: StateStore) -> None:
    """Give up the scope's run lock of a scan that will not complete (its outputs
    failed): the next run of the scope compares with the scan before it. Never raises:
    it runs while another error is on its way, and closing the store releases it too."""
    with contextlib.suppress(ComplianceError):
        store.release_scope()


def preview(
    store: StateStore,
    report: ScanReport,
    scope: str,
    kind: str,
    rules: Sequence[Rule] = (),
    recipients: Recipients | None = None,
    follows_changes: Callable[[str], bool] | None = None,
) -> Recorded:
    """What `record` would do, writing nothing to the store (--dry-run); waits for a
    run of the scope that is recording to complete, as `record` does."""
    store.hold_scope(scope)
    try:
        with store.transaction() as tx:
            drift, plan = _decide(
                tx, report, scope, kind, "dry-run", rules, recipients, follows_changes
            )
    finally:
        store.release_scope()
    return Recorded(_shown(report, kind, drift, "", scope), drift, plan)


def _shown(report: ScanReport, kind: str, drift: Drift, scan_id: str, scope: str) -> ScanReport:
    """The report as kept, published and gated on: history is kept for every kind, but
    only a drift report talks about (and gates on) what changed."""
    return replace(report, scan_id=scan_id, scope=scope, drift=drift if kind == "drift" else None)


def _decide(
    tx: Transaction,
    report: ScanReport,
    scope: str,
    kind: str,
    scan_id: str,
    rules: Sequence[Rule],
    recipients: Recipients | None,
    follows_changes: Callable[[str], bool] | None = None,
) -> tuple[Drift, AlertPlan]:
    previous = last_scan(tx, scope, kind)
    drift = compare_scans(
        report, previous[1] if previous else None, previous[0] if previous else None
    )
    if previous is not None and kind == "drift":
        found, carried = _data_changes(tx, report, previous[0])
        drift = replace(drift, data_changes=found, data_carried=carried)
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
        follows_changes,
        drift.data_changes,
    )
    return drift, plan


def _data_changes(
    tx: Transaction, report: ScanReport, previous_scan: str
) -> tuple[tuple[DataChange, ...], tuple[DataStore, ...]]:
    """The data stores that changed since the previous scan, and the stores to carry to
    the next baseline. The baseline is the previous scan's data map with the stores it
    carried (ones a gap hid from it). A scan stored before data maps existed has none:
    there is no baseline, and no change is reported (reporting every classified store
    as new once would bury a real change in an upgrade's noise). The sources of the
    previous scan's resources say which absent stores are really gone."""
    _, text = stored_report(tx, previous_scan)
    try:
        document = json.loads(text)
        if "data_map" not in document:
            return (), ()
        seen = data_map_from(document["data_map"] or {})
        drift = document.get("drift") or {}
        hidden = data_map_from({"stores": drift.get("data_carried") or []}).stores
        sources = {
            str(address): facts.get("source")
            for address, facts in (document.get("resources") or {}).items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EngineError(f"stored scan {previous_scan} cannot be read ({exc})") from exc
    known = {s.address for s in seen.stores}
    before = replace(seen, stores=(*seen.stores, *(s for s in hidden if s.address not in known)))
    gone = gone_from(
        report.locations,
        (s for _, s in report.complete_sources),
        sources,
        bool(report.gaps),
    )
    here = {s.address for s in report.data_map.stores}
    carried = tuple(s for s in before.stores if s.address not in here and not gone(s.address))
    return changes(before, report.data_map, gone), carried
