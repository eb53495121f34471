"""The compliance figures /metrics exposes, read from the state store at scrape time.

Per scope, from its latest complete scan: each framework's control compliance rate and
evaluation pass rate, its failing findings by severity, and when the scan finished; and
the alert outbox's depth per status. A scan's figures are computed once and kept by scan
id (a complete scan never changes), so a scrape decodes only the scans that are new
since the last one, and only the latest scan of each scope is ever kept.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from compliance_opa.domain.findings import Severity, Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.errors import ComplianceError
from compliance_opa.state import report_codec
from compliance_opa.state.metrics_queries import (
    latest_complete_scans,
    outbox_depth,
    stored_reports,
)
from compliance_opa.state.store import StateStore

log = logging.getLogger("opa_comply.serve")

SEVERITIES = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))


@dataclass(frozen=True)
class FrameworkFigures:
    framework: str
    compliance_ratio: float | None  # compliant / assessed automated controls; None: none
    pass_ratio: float | None  # passed / all evaluations; None: nothing evaluated
    failing: dict[str, int]  # failing findings (not waived) by severity, every severity


@dataclass(frozen=True)
class ScopeFigures:
    scope: str
    scan_id: str
    finished_at: float | None  # Unix seconds; None when the recorded time cannot be read
    frameworks: tuple[FrameworkFigures, ...]  # empty when the stored report is unreadable


@dataclass(frozen=True)
class StoreFigures:
    scopes: tuple[ScopeFigures, ...]
    outbox: dict[str, int]


def scan_figures(report: ScanReport) -> tuple[FrameworkFigures, ...]:
    """The figures of one report, per framework it was summarised for."""
    failing = [f for f in report.findings if f.status is Status.FAIL]
    figures = []
    for summary in report.summaries:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in failing:
            if finding.check.controls.get(summary.framework):
                counts[finding.check.severity.value] += 1
        figures.append(
            FrameworkFigures(
                framework=summary.framework,
                compliance_ratio=summary.compliance_rate,
                pass_ratio=summary.tally.compliance_rate,
                failing=counts,
            )
        )
    return tuple(figures)


class FiguresCache:
    """Reads the figures of a store, keeping each latest scan's figures by scan id.
    Safe to share between threads (scrapes may overlap)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_scan: dict[str, tuple[FrameworkFigures, ...]] = {}

    def read(self, store: StateStore) -> StoreFigures:
        """The store's figures now; a store that cannot be read raises (ComplianceError)."""
        with store.reading() as tx:
            latest = latest_complete_scans(tx)
            with self._lock:
                missing = [s.scan_id for s in latest if s.scan_id not in self._by_scan]
            texts = stored_reports(tx, missing)
            depth = outbox_depth(tx)
        decoded = {scan_id: _decoded(scan_id, text) for scan_id, text in texts.items()}
        with self._lock:
            self._by_scan.update(decoded)
            keep = {s.scan_id for s in latest}
            self._by_scan = {k: v for k, v in self._by_scan.items() if k in keep}
            scopes = tuple(
                ScopeFigures(
                    s.scope, s.scan_id, _epoch(s.finished_at), self._by_scan.get(s.scan_id, ())
                )
                for s in latest
            )
        return StoreFigures(scopes, depth)


def _decoded(scan_id: str, text: str) -> tuple[FrameworkFigures, ...]:
    """A stored report's figures; none (logged once: the result is kept) when the stored
    report cannot be read, so one bad scan does not hide every other scope."""
    try:
        return scan_figures(report_codec.loads(text))
    except ComplianceError as exc:
        log.warning("metrics: scan %s: %s", scan_id, exc)
        return ()


def _epoch(iso: str) -> float | None:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is None:  # recorded times are UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
