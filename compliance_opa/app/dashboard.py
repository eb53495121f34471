"""What the compliance dashboard shows, read from the state store: the latest complete
scan of every scope (overview, drill-down, resources), trends over days, scan history
and the alert outbox. The service renders these values; it adds no scan logic.

Stored reports are decoded once and kept in a small cache by scan id: a recorded scan's
report never changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from compliance_opa.alerts.outbox import OutboxRow, list_rows
from compliance_opa.domain.data_map import DataMap
from compliance_opa.domain.findings import FRAMEWORK_NAMES, FRAMEWORKS, Finding, Severity, Status
from compliance_opa.domain.rates import FrameworkSummary, count_by_severity
from compliance_opa.domain.report import ScanReport, SourceGap, finding_order
from compliance_opa.domain.risk import ResourceFacts
from compliance_opa.domain.trends import Observation, Series, combined_summary, daily, observe
from compliance_opa.errors import InputError
from compliance_opa.reports import RENDERERS
from compliance_opa.state import dashboard_queries as queries
from compliance_opa.state import report_codec
from compliance_opa.state.dashboard_queries import ScanRow
from compliance_opa.state.store import StateStore

DEFAULT_THRESHOLD = 0.95
SEVERITIES = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))
ALERT_STATUSES = ("pending", "sending", "sent", "dead")
TOP_RISKS = 10
MAX_TREND_DAYS = 366
SCANS_PER_PAGE = 50


class NotFound(InputError):
    """An id, address or name the store does not know: a 404, not a bad request."""


@dataclass(frozen=True)
class Filters:
    """The pages' GET filters, checked: an unknown value is an InputError (400)."""

    scope: str | None = None
    framework: str | None = None
    severity: str | None = None

    def check(self, known_scopes: Sequence[str]) -> None:
        if self.framework is not None and self.framework not in FRAMEWORKS:
            raise InputError(f"framework: expected one of {', '.join(FRAMEWORKS)}")
        if self.severity is not None and self.severity not in SEVERITIES:
            raise InputError(f"severity: expected one of {', '.join(SEVERITIES)}")
        if self.scope is not None and self.scope not in known_scopes:
            raise NotFound("scope: no scan of that scope in the state store")

    @property
    def frameworks(self) -> tuple[str, ...]:
        return (self.framework,) if self.framework else FRAMEWORKS


@dataclass(frozen=True)
class ScopedFinding:
    scope: str
    scan_id: str
    finding: Finding


@dataclass(frozen=True)
class FrameworkStanding:
    summary: FrameworkSummary  # over the latest scans of the chosen scopes
    threshold: float

    @property
    def framework(self) -> str:
        return self.summary.framework

    @property
    def control_rate(self) -> float | None:
        return self.summary.compliance_rate

    @property
    def pass_rate(self) -> float | None:
        return self.summary.tally.compliance_rate

    def meets(self, rate: float | None) -> bool:
        return rate is not None and rate >= self.threshold


@dataclass(frozen=True)
class Trends:
    first: date
    last: date
    series: list[Series]


@dataclass(frozen=True)
class Overview:
    scopes: list[str]  # every scope in the store (the filter's choices)
    latest: list[ScanRow]  # the latest complete scan of each chosen scope
    frameworks: list[FrameworkStanding]
    failing_by_severity: dict[str, int]
    top_risks: list[ScopedFinding]
    gaps: list[tuple[str, SourceGap]]  # (scope, gap) of the latest scans
    trends: Trends
    threshold: float


@dataclass(frozen=True)
class ControlCheck:
    check_id: str
    title: str
    severity: str
    remediation: str
    evaluations: int
    failing: int


@dataclass(frozen=True)
class ControlPage:
    framework: FrameworkStanding
    control_id: str
    title: str
    status: str
    checks: list[ControlCheck]
    findings: list[ScopedFinding]


@dataclass(frozen=True)
class Evaluation:
    scope: str
    check_id: str
    title: str
    severity: str
    verdict: str  # pass | fail | indeterminate | waived


@dataclass(frozen=True)
class ResourcePage:
    address: str
    facts: ResourceFacts | None
    attributes: dict[str, object] | None  # None when no stored scan kept them
    location: tuple[str, int] | None
    scans: list[ScanRow]  # the latest scans that evaluated it
    findings: list[ScopedFinding]
    evaluations: list[Evaluation]
    remediation: dict[str, str] = field(default_factory=dict)  # check id -> remediation


@dataclass(frozen=True)
class ScanPage:
    row: ScanRow
    report: ScanReport
    findings: list[Finding]  # filtered
    formats: tuple[str, ...]
    latest: bool  # the latest complete scan of its scope: its resources have pages


class _ReportCache:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str], tuple[ScanReport, Observation]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: StateStore, row: ScanRow) -> tuple[ScanReport, Observation]:
        key = (store.where, row.scan_id)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        with store.reading() as tx:
            text = queries.stored_report_text(tx, row.scan_id)
        if text is None:
            raise NotFound("no such scan")
        report = report_codec.loads(text)
        entry = (report, observe(replace(report, finished_at=row.finished_at), row.seq))
        with self._lock:
            self._items[key] = entry
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return entry


_REPORTS = _ReportCache(128)


def _report(store: StateStore, row: ScanRow) -> ScanReport:
    return _REPORTS.get(store, row)[0]


def _today() -> date:
    return datetime.now(UTC).date()


def _threshold(threshold: float | None) -> float:
    return DEFAULT_THRESHOLD if threshold is None else threshold


def _latest(store: StateStore, filters: Filters) -> tuple[list[str], list[ScanRow]]:
    with store.reading() as tx:
        scopes = queries.scopes(tx)
        filters.check(scopes)
        latest = queries.latest_complete(tx)
    return scopes, [r for r in latest if filters.scope in (None, r.scope)]


def _standings(
    reports: Sequence[ScanReport], frameworks: Sequence[str], threshold: float
) -> list[FrameworkStanding]:
    standings = []
    for framework in frameworks:
        found = [s for r in reports for s in r.summaries if s.framework == framework]
        if found:
            standings.append(FrameworkStanding(combined_summary(found), threshold))
    return standings


def _maps_to(finding: Finding, framework: str | None) -> bool:
    return framework is None or bool(finding.check.controls.get(framework))


def overview(
    store: StateStore, threshold: float | None, filters: Filters, today: date | None = None
) -> Overview:
    scopes, latest = _latest(store, filters)
    reports = [_report(store, row) for row in latest]
    findings = [
        ScopedFinding(r.scope, r.scan_id, f)
        for r in reports
        for f in r.findings
        if _maps_to(f, filters.framework) and filters.severity in (None, f.check.severity.value)
    ]
    failing = [s for s in findings if s.finding.status is Status.FAIL]
    return Overview(
        scopes=scopes,
        latest=latest,
        frameworks=_standings(reports, filters.frameworks, _threshold(threshold)),
        failing_by_severity=count_by_severity([s.finding for s in failing], Status.FAIL),
        top_risks=sorted(failing, key=lambda s: (finding_order(s.finding), s.scope))[:TOP_RISKS],
        gaps=[(r.scope, g) for r in reports for g in r.gaps],
        trends=trends(store, filters, 30, today, scopes_too=False),
        threshold=_threshold(threshold),
    )


def trends(
    store: StateStore,
    filters: Filters,
    days: int = 30,
    today: date | None = None,
    *,
    scopes_too: bool = True,
) -> Trends:
    """Per framework over every chosen scope (and per scope, if ``scopes_too``), one
    point per day for the last ``days`` days up to ``today`` (UTC)."""
    if not 1 <= days <= MAX_TREND_DAYS:
        raise InputError(f"days: expected 1 to {MAX_TREND_DAYS}")
    last = today or _today()
    first = last - timedelta(days=days - 1)
    with store.reading() as tx:
        filters.check(queries.scopes(tx))
        rows = queries.complete_before(tx, (last + timedelta(days=1)).isoformat())
    rows = [r for r in rows if filters.scope in (None, r.scope)]
    observations = [_REPORTS.get(store, row)[1] for row in _needed(rows, first)]
    series = daily(observations, first, last, filters.frameworks)
    if not scopes_too:
        series = [s for s in series if s.scope == ""]
    return Trends(first, last, series)


def _needed(rows: Sequence[ScanRow], first: date) -> list[ScanRow]:
    """The scans that shape some day's point: a scan whose effect a later scan of its
    scope with full coverage wipes out before the same day's end (or, before the window,
    before it opens) need not be read."""
    needed: list[ScanRow] = []
    wiped: set[tuple[str, date]] = set()
    for row in reversed(rows):  # newest first
        day = max(date.fromisoformat(row.finished_at[:10]), first)
        if (row.scope, day) in wiped:
            continue
        needed.append(row)
        if row.gaps == 0:
            wiped.add((row.scope, day))
    return needed[::-1]


def framework_page(
    store: StateStore, threshold: float | None, framework: str, filters: Filters
) -> FrameworkStanding:
    if framework not in FRAMEWORKS:
        raise NotFound(f"no framework {framework[:40]!r}")
    _, latest = _latest(store, filters)
    reports = [_report(store, row) for row in latest]
    found = _standings(reports, (framework,), _threshold(threshold))
    if not found:
        raise NotFound(f"no scan assessed {FRAMEWORK_NAMES[framework]}")
    return found[0]


def control_page(
    store: StateStore, threshold: float | None, framework: str, control_id: str, filters: Filters
) -> ControlPage:
    standing = framework_page(store, threshold, framework, filters)
    control = next((c for c in standing.summary.controls if c.control_id == control_id), None)
    if control is None:
        raise NotFound(f"{FRAMEWORK_NAMES[framework]} has no automated control {control_id[:60]!r}")
    _, latest = _latest(store, filters)
    reports = [_report(store, row) for row in latest]
    checks: dict[str, ControlCheck] = {}
    findings: list[ScopedFinding] = []
    for report in reports:
        for result in report.results:
            if control_id not in result.check.controls.get(framework, ()):
                continue
            check = result.check
            known = checks.get(check.check_id)
            failing = sum(1 for f in result.findings if f.status is not Status.WAIVED)
            checks[check.check_id] = ControlCheck(
                check.check_id,
                check.title,
                check.severity.value,
                check.remediation,
                len(result.evaluated) + (known.evaluations if known else 0),
                failing + (known.failing if known else 0),
            )
            findings += [
                ScopedFinding(report.scope, report.scan_id, f)
                for f in result.findings
                if filters.severity in (None, f.check.severity.value)
            ]
    return ControlPage(
        framework=standing,
        control_id=control.control_id,
        title=control.title,
        status=control.tally.status,
        checks=sorted(checks.values(), key=lambda c: c.check_id),
        findings=sorted(findings, key=lambda s: (finding_order(s.finding), s.scope)),
    )


def resource_page(store: StateStore, address: str, filters: Filters) -> ResourcePage:
    _, latest = _latest(store, filters)
    scans: list[ScanRow] = []
    findings: list[ScopedFinding] = []
    evaluations: list[Evaluation] = []
    remediation: dict[str, str] = {}
    facts: ResourceFacts | None = None
    attributes: dict[str, object] | None = None
    location: tuple[str, int] | None = None
    for row in latest:
        report = _report(store, row)
        evaluated = False
        for result in report.results:
            mine = [f for f in result.findings if f.resource == address]
            if address not in result.evaluated and not mine:
                continue
            evaluated = True
            worst = min((f.status for f in mine), default=None, key=_status_rank)
            evaluations.append(
                Evaluation(
                    row.scope,
                    result.check.check_id,
                    result.check.title,
                    result.check.severity.value,
                    worst.value if worst else "pass",
                )
            )
            findings += [ScopedFinding(row.scope, row.scan_id, f) for f in mine]
            if mine:
                remediation[result.check.check_id] = result.check.remediation
        if not evaluated:
            continue
        scans.append(row)
        facts = facts or report.resources.get(address)
        if attributes is None and address in report.attributes:
            attributes = dict(report.attributes[address])
        location = location or report.locations.get(address)
    if not scans:
        raise NotFound("no latest scan evaluated that resource")
    return ResourcePage(
        address=address,
        facts=facts,
        attributes=attributes,
        location=location,
        scans=scans,
        findings=sorted(findings, key=lambda s: (finding_order(s.finding), s.scope)),
        evaluations=sorted(evaluations, key=lambda e: (e.verdict == "pass", e.check_id, e.scope)),
        remediation=remediation,
    )


def _status_rank(status: Status) -> int:
    return {Status.FAIL: 0, Status.INDETERMINATE: 1, Status.WAIVED: 2}[status]


@dataclass(frozen=True)
class ScanHistory:
    scopes: list[str]
    rows: list[ScanRow]
    page: int
    pages: int
    total: int


def scan_history(store: StateStore, filters: Filters, page: int = 1) -> ScanHistory:
    with store.reading() as tx:
        scopes = queries.scopes(tx)
        filters.check(scopes)
        total = queries.count_scans(tx, filters.scope)
        pages = max(1, -(-total // SCANS_PER_PAGE))
        if not 1 <= page <= pages:
            raise NotFound(f"page {page}: the history has {pages}")
        rows = queries.scan_page(tx, filters.scope, SCANS_PER_PAGE, (page - 1) * SCANS_PER_PAGE)
    return ScanHistory(scopes, rows, page, pages, total)


def _scan(store: StateStore, scan_id: str) -> tuple[ScanRow, ScanReport]:
    with store.reading() as tx:
        row = queries.scan_row(tx, scan_id[:100])
    if row is None:
        raise NotFound("no such scan in the state store")
    return row, _report(store, row)


def scan_page(
    store: StateStore, threshold: float | None, scan_id: str, filters: Filters
) -> ScanPage:
    if filters.severity is not None:
        Filters(severity=filters.severity).check(())
    row, report = _scan(store, scan_id)
    report = _rejudged(report, threshold)
    shown = [
        f
        for f in report.findings_by_severity()
        if filters.severity in (None, f.check.severity.value)
    ]
    with store.reading() as tx:
        latest = any(r.scan_id == row.scan_id for r in queries.latest_complete(tx))
    return ScanPage(row, report, shown, tuple(RENDERERS), latest)


def _rejudged(report: ScanReport, threshold: float | None) -> ScanReport:
    # As `opa-comply report` does: a configured threshold judges stored scans again.
    return report if threshold is None else replace(report, threshold=threshold)


def scan_report(store: StateStore, threshold: float | None, scan_id: str, fmt: str) -> str:
    """A stored scan's report in one of the report formats, as the scan rendered it."""
    if fmt not in RENDERERS:
        raise NotFound(f"no report format {fmt[:40]!r}: {', '.join(RENDERERS)}")
    _, report = _scan(store, scan_id)
    return RENDERERS[fmt](_rejudged(report, threshold))


@dataclass(frozen=True)
class ScopeDataMap:
    row: ScanRow  # the scope's latest complete scan
    data_map: DataMap
    pages: frozenset[str]  # addresses that scan evaluated: they have a resource page


@dataclass(frozen=True)
class DataMapPage:
    scopes: list[str]  # every scope in the store (the filter's choices)
    maps: list[ScopeDataMap]  # one per chosen scope with a complete scan, by scope


def data_map_page(store: StateStore, filters: Filters) -> DataMapPage:
    """The data map of the latest complete scan of each chosen scope (one, or every
    scope), as that scan built it; an unknown scope is NotFound."""
    scopes, latest = _latest(store, Filters(scope=filters.scope))
    maps = []
    for row in latest:
        report = _report(store, row)
        # resource_page answers for what the latest scan evaluated or found something on.
        pages = {a for r in report.results for a in r.evaluated}
        pages |= {f.resource for f in report.findings}
        maps.append(ScopeDataMap(row, report.data_map, frozenset(pages)))
    return DataMapPage(scopes, maps)


def alerts(store: StateStore, status: str | None, newest: int = 500) -> list[OutboxRow]:
    """The ``newest`` alerts of the outbox (with ``status``, if given), newest first."""
    if status is not None and status not in ALERT_STATUSES:
        raise InputError(f"status: expected one of {', '.join(ALERT_STATUSES)}")
    return list_rows(store, (status,) if status else (), newest)
