"""The dashboard's reads (app/dashboard.py) over a store filled by real drift runs on the
real OPA (tests/dashboard_support.py): the overview's figures are the stored reports'
own, the trends keep scopes not scanned that day, resources show redacted attributes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from compliance_opa.app import dashboard
from compliance_opa.app.dashboard import Filters, NotFound
from compliance_opa.domain.findings import Status
from compliance_opa.domain.redact import PLACEHOLDER
from compliance_opa.domain.report import ScanReport
from compliance_opa.errors import InputError
from compliance_opa.reports import RENDERERS
from compliance_opa.state import report_codec
from compliance_opa.state.store import StateStore, open_store
from tests.dashboard_support import (
    EVIL,
    EVIL_DETAIL,
    ORDERS_DB,
    SCOPES,
    SECRET,
    latest_ids,
    populate,
    stored_reports,
    strip_attributes,
    today,
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return populate(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture
def store(db: Path) -> Iterator[StateStore]:
    with open_store(str(db), 5.0) as opened:
        yield opened


def latest_reports(db: Path) -> dict[str, ScanReport]:
    texts = stored_reports(db)
    return {scope: report_codec.loads(texts[i]) for scope, i in latest_ids(db).items()}


def test_the_overview_adds_up_the_latest_scan_of_every_scope(db: Path, store: StateStore) -> None:
    view = dashboard.overview(store, None, Filters())
    latest = latest_reports(db)
    assert view.scopes == list(SCOPES)
    assert [r.scope for r in view.latest] == list(SCOPES)
    assert view.latest[-1].finished_at[:10] == today().isoformat()  # prod's second run
    assert view.threshold == 0.95
    for standing in view.frameworks:
        summaries = [
            s for r in latest.values() for s in r.summaries if s.framework == standing.framework
        ]
        evaluations = sum(s.tally.evaluations for s in summaries)
        passed = sum(s.tally.passed for s in summaries)
        assert standing.pass_rate == round(passed / evaluations, 4)
        assert standing.control_rate is not None
        assert 0 <= standing.control_rate < 1
        assert not standing.meets(standing.control_rate)
    failing = [f for r in latest.values() for f in r.findings if f.status is Status.FAIL]
    assert sum(view.failing_by_severity.values()) == len(failing)
    assert view.top_risks[0].finding.risk == max(f.risk for f in failing)
    assert [(scope, g.detail) for scope, g in view.gaps] == [("prod", EVIL_DETAIL)]


def test_filters_narrow_the_overview_and_unknown_values_are_refused(store: StateStore) -> None:
    view = dashboard.overview(
        store, 0.5, Filters(scope="orders", framework="pci_dss", severity="high")
    )
    assert [r.scope for r in view.latest] == ["orders"]
    assert [f.framework for f in view.frameworks] == ["pci_dss"]
    assert {s.scope for s in view.top_risks} == {"orders"}
    assert {s.finding.check.severity.value for s in view.top_risks} == {"high"}
    with pytest.raises(NotFound):
        dashboard.overview(store, None, Filters(scope="nowhere"))
    with pytest.raises(InputError, match="severity"):
        dashboard.overview(store, None, Filters(severity="<b>"))
    with pytest.raises(InputError, match="framework"):
        dashboard.overview(store, None, Filters(framework="iso"))


def test_trends_keep_scopes_not_scanned_since(store: StateStore) -> None:
    view = dashboard.trends(store, Filters(), 30)
    assert view.last == today()
    assert view.first == today() - timedelta(days=29)
    by = {(s.scope, s.framework): s for s in view.series}
    # orders was scanned once, two days ago: a point on each day since.
    orders = by[("orders", "pci_dss")]
    assert [p.day for p in orders.points] == [today() - timedelta(days=d) for d in (2, 1, 0)]
    assert len({p.standing for p in orders.points}) == 1
    # Every scope together: from prod's first scan on, four days.
    assert len(by[("", "pci_dss")].points) == 4
    # Today's point is the overview's figure.
    overview = dashboard.overview(store, None, Filters())
    for standing in overview.frameworks:
        last = by[("", standing.framework)].points[-1].standing
        assert (last.pass_rate, last.control_rate) == (standing.pass_rate, standing.control_rate)
    with pytest.raises(InputError):
        dashboard.trends(store, Filters(), 0)


def test_drill_down_from_framework_to_resource(store: StateStore) -> None:
    standing = dashboard.framework_page(store, None, "pci_dss", Filters())
    failing = [c for c in standing.summary.controls if c.tally.status == "non_compliant"]
    assert failing
    page = dashboard.control_page(store, None, "pci_dss", failing[0].control_id, Filters())
    assert page.status == "non_compliant"
    assert page.checks
    assert page.findings
    assert sum(c.failing for c in page.checks) >= len(
        [s for s in page.findings if s.finding.status is not Status.WAIVED]
    )
    resource = dashboard.resource_page(store, ORDERS_DB, Filters())
    assert resource.facts is not None
    assert resource.facts.tags is not None
    assert resource.facts.tags["Owner"] == EVIL
    assert [r.scope for r in resource.scans] == ["prod"]
    assert resource.findings
    assert all(s.finding.resource == ORDERS_DB for s in resource.findings)
    assert resource.remediation
    assert any(e.verdict == "pass" for e in resource.evaluations)


def test_iso27001_has_its_framework_and_control_pages(store: StateStore) -> None:
    view = dashboard.overview(store, None, Filters())
    assert [f.framework for f in view.frameworks][-1] == "iso27001"
    standing = dashboard.framework_page(store, None, "iso27001", Filters())
    assert standing.summary.name.startswith("ISO/IEC 27001:2022")
    assert "A.5.1" in dict(standing.summary.manual_controls)  # policies: no check evidences it
    failing = [c for c in standing.summary.controls if c.tally.status == "non_compliant"]
    assert failing
    assert all(c.control_id.startswith("A.") for c in standing.summary.controls)
    page = dashboard.control_page(store, None, "iso27001", failing[0].control_id, Filters())
    assert page.status == "non_compliant"
    assert page.findings
    assert all(s.finding.check.controls["iso27001"] for s in page.findings)
    with pytest.raises(NotFound):
        dashboard.control_page(store, None, "iso27001", "A.12.4.1", Filters())  # 2013 numbering


def test_attributes_are_kept_with_sensitive_values_redacted(db: Path, store: StateStore) -> None:
    resource = dashboard.resource_page(store, ORDERS_DB, Filters())
    assert resource.attributes is not None
    assert resource.attributes["master_password"] == PLACEHOLDER
    assert resource.attributes["connection"] == f"postgres://app:{PLACEHOLDER}@orders.internal/app"
    assert resource.attributes["storage_encrypted"] is False
    assert all(SECRET not in text for text in stored_reports(db).values())


def test_a_report_stored_before_attributes_still_reads(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(db, copy)
    strip_attributes(copy, latest_ids(copy)["prod"])
    with open_store(str(copy), 5.0) as old:
        resource = dashboard.resource_page(old, ORDERS_DB, Filters())
    assert resource.attributes is None
    assert resource.findings


def test_unknown_names_are_not_found(store: StateStore) -> None:
    with pytest.raises(NotFound):
        dashboard.framework_page(store, None, "sox", Filters())
    with pytest.raises(NotFound):
        dashboard.control_page(store, None, "pci_dss", "99.99", Filters())
    with pytest.raises(NotFound):
        dashboard.resource_page(store, "arn:aws:s3:::nobody", Filters())
    with pytest.raises(NotFound):
        dashboard.scan_page(store, None, "0000", Filters())
    with pytest.raises(NotFound):
        dashboard.scan_report(store, None, latest_ids_of(store)["prod"], "pdf")
    with pytest.raises(NotFound):
        dashboard.scan_history(store, Filters(), 2)


def latest_ids_of(store: StateStore) -> dict[str, str]:
    return {r.scope: r.scan_id for r in dashboard.overview(store, None, Filters()).latest}


def test_every_report_format_renders_from_history(store: StateStore) -> None:
    scan_id = latest_ids_of(store)["prod"]
    for fmt in RENDERERS:
        text = dashboard.scan_report(store, None, scan_id, fmt)
        assert text.strip(), fmt
    document = json.loads(dashboard.scan_report(store, 0.5, scan_id, "json"))
    assert document["assessment"]["threshold"] == 0.5  # judged against today's threshold
    history = dashboard.scan_history(store, Filters(scope="prod"))
    assert history.total == 2
    assert [r.scope for r in history.rows] == ["prod", "prod"]
    page = dashboard.scan_page(store, None, scan_id, Filters(severity="critical"))
    assert page.latest
    assert {f.check.severity.value for f in page.findings} == {"critical"}
    older = history.rows[1].scan_id
    assert dashboard.scan_page(store, None, older, Filters()).latest is False


def test_the_alert_outbox_lists_newest_first(store: StateStore) -> None:
    assert dashboard.alerts(store, None) == []  # no channel configured: nothing queued
    with pytest.raises(InputError):
        dashboard.alerts(store, "lost")
