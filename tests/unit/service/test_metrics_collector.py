"""The /metrics collector over a state store built here: the figures of each scope's
latest complete scan, the outbox depth, decoded reports kept by scan id, and a store that
fails answering `opa_comply_store_up 0` beside the metrics that do not need it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from compliance_opa.app.metrics import FiguresCache
from compliance_opa.domain.findings import Severity, Status
from compliance_opa.domain.rates import summarize_framework
from compliance_opa.domain.report import ScanReport
from compliance_opa.errors import EngineError
from compliance_opa.service.engine import EngineStatus
from compliance_opa.service.store_metrics import ScrapeCollector
from compliance_opa.state import report_codec
from compliance_opa.state.history import mark_complete, record_scan
from compliance_opa.state.store import StateStore, open_store
from tests.report_builder import check, finding, report

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]

CRITICAL = check("AWS-A", Severity.CRITICAL, ("gdpr", "hipaa"))
MEDIUM = check("AWS-B", Severity.MEDIUM, ("hipaa",))
LOW = check("AWS-C", Severity.LOW, ("soc2",))


def summarised(r: ScanReport, scan_id: str, scope: str, finished: str) -> ScanReport:
    summaries = tuple(summarize_framework(f, list(r.results)) for f in r.frameworks)
    return replace(r, summaries=summaries, scan_id=scan_id, scope=scope, finished_at=finished)


def record(
    store: StateStore, r: ScanReport, complete: bool = True, text: str | None = None
) -> None:
    with store.transaction() as tx:
        record_scan(tx, r.scan_id, r.scope, "drift", r, text or report_codec.dumps(r))
        if complete:
            mark_complete(tx, r.scan_id)


def queue(store: StateStore, statuses: list[str]) -> None:
    with store.transaction() as tx:
        for n, status in enumerate(statuses):
            tx.execute(
                "INSERT INTO outbox (scope, channel, recipient, kind, dedup_key, scan_id, event,"
                " status, next_attempt_at, created_at, created_epoch)"
                " VALUES ('prod', 'siem', '', 'trigger', ?, 'p2', '{}', ?, 0, '', 0)",
                (f"key-{n}", status),
            )


def prod_scan(scan_id: str, finished: str) -> ScanReport:
    """gdpr: AWS-A on r1 (fails), r2 (waived), r3 (passes); hipaa adds AWS-B on r1
    (passes), r2 (fails)."""
    return summarised(
        report(
            {"AWS-A": ["r1", "r2", "r3"], "AWS-B": ["r1", "r2"]},
            [
                finding(CRITICAL, "r1"),
                finding(CRITICAL, "r2", Status.WAIVED),
                finding(MEDIUM, "r2"),
            ],
        ),
        scan_id,
        "prod",
        finished,
    )


def clean_scan(scan_id: str, finished: str) -> ScanReport:
    return summarised(report({"AWS-C": ["x1", "x2"]}, checks=[LOW]), scan_id, "clean", finished)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with open_store(str(tmp_path / "state.db")) as opened:
        # An older complete scan of prod where everything failed, the latest one, and a
        # later scan not complete yet: only the latest complete one counts.
        everything_fails = summarised(
            report(
                {"AWS-A": ["r1", "r2", "r3"]},
                [finding(CRITICAL, a) for a in ("r1", "r2", "r3")],
            ),
            "p1",
            "prod",
            "2026-11-20T08:00:00Z",
        )
        record(opened, everything_fails)
        record(opened, prod_scan("p2", "2026-11-23T10:00:01Z"))
        record(opened, replace(everything_fails, scan_id="p3"), complete=False)
        record(opened, clean_scan("c1", "2026-11-22T09:30:00Z"))
        queue(opened, ["pending", "pending", "dead", "sent", "sent", "sent"])
        yield opened


def collector(store: StateStore | None, cache: FiguresCache, ready: bool = True) -> ScrapeCollector:
    @contextlib.contextmanager
    def opened() -> Iterator[StateStore]:
        if store is None:
            raise EngineError("state store /nowhere/state.db: cannot open: no such file")
        yield store

    return ScrapeCollector(opened, lambda: EngineStatus(ready, 2, ""), cache)


def scrape(c: ScrapeCollector) -> Samples:
    text = generate_latest(c).decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def names(samples: Samples) -> set[str]:
    return {name for name, _ in samples}


def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def test_figures_of_each_scopes_latest_complete_scan(store: StateStore) -> None:
    got = scrape(collector(store, FiguresCache()))
    ratio, passing = "opa_comply_compliance_ratio", "opa_comply_evaluation_pass_ratio"
    # Control 1.1 has a failure in both frameworks: 0 of 1 assessed controls compliant.
    assert value(got, ratio, scope="prod", framework="gdpr") == 0.0
    assert value(got, ratio, scope="prod", framework="hipaa") == 0.0
    # gdpr: 1 of 3 evaluations passed (a waived one never passes); hipaa: 2 of 5.
    assert value(got, passing, scope="prod", framework="gdpr") == 0.3333
    assert value(got, passing, scope="prod", framework="hipaa") == 0.4
    assert value(got, ratio, scope="clean", framework="soc2") == 1.0
    assert value(got, passing, scope="clean", framework="soc2") == 1.0
    # Nothing of the clean scan maps to gdpr: no rate at all, not 0 nor 1.
    assert value(got, ratio, scope="clean", framework="gdpr") is None
    assert value(got, passing, scope="clean", framework="gdpr") is None
    failing = "opa_comply_failing_findings"
    assert {
        sev.value: value(got, failing, scope="prod", framework="hipaa", severity=sev.value)
        for sev in Severity
    } == {"critical": 1.0, "high": 0.0, "medium": 1.0, "low": 0.0, "info": 0.0}
    # The waived failure of r2 is not failing; the older scan's r2 and r3 do not count.
    assert value(got, failing, scope="prod", framework="gdpr", severity="critical") == 1.0
    assert value(got, failing, scope="prod", framework="gdpr", severity="medium") == 0.0
    assert value(got, failing, scope="clean", framework="soc2", severity="low") == 0.0
    stamp = "opa_comply_last_complete_scan_timestamp_seconds"
    assert value(got, stamp, scope="prod") == epoch("2026-11-23T10:00:01+00:00")
    assert value(got, stamp, scope="clean") == epoch("2026-11-22T09:30:00+00:00")
    assert {
        status: value(got, "opa_comply_alert_outbox", status=status)
        for status in ("pending", "sending", "sent", "dead")
    } == {"pending": 2.0, "sending": 0.0, "sent": 3.0, "dead": 1.0}
    assert value(got, "opa_comply_store_up") == 1.0
    assert value(got, "opa_comply_opa_up") == 1.0
    assert value(got, "opa_comply_opa_restarts_total") == 2.0
    scopes = {dict(labels).get("scope") for name, labels in got if name == ratio}
    assert scopes == {"prod", "clean"}


def test_a_complete_scan_is_decoded_once_and_a_new_one_replaces_it(store: StateStore) -> None:
    cache = FiguresCache()
    first = scrape(collector(store, cache))
    with store.transaction() as tx:  # were the reports decoded again, these would show
        tx.execute("UPDATE scans SET report = 'not a report' WHERE scan_id IN ('p2', 'c1')")
    assert scrape(collector(store, cache)) == first
    # A newer complete scan of clean whose stored report cannot be read: its time shows,
    # its rates do not, and prod's figures are unaffected.
    record(store, clean_scan("c2", "2026-11-24T07:00:00Z"), text='{"format": "other"}')
    got = scrape(collector(store, cache))
    stamp = "opa_comply_last_complete_scan_timestamp_seconds"
    assert value(got, stamp, scope="clean") == epoch("2026-11-24T07:00:00+00:00")
    assert value(got, "opa_comply_compliance_ratio", scope="clean", framework="soc2") is None
    prod = {k: v for k, v in got.items() if ("scope", "prod") in k[1]}
    assert prod == {k: v for k, v in first.items() if ("scope", "prod") in k[1]}
    assert value(got, "opa_comply_store_up") == 1.0


def test_a_store_that_cannot_be_opened_gives_store_up_zero(store: StateStore) -> None:
    got = scrape(collector(None, FiguresCache(), ready=False))
    assert value(got, "opa_comply_store_up") == 0.0
    assert value(got, "opa_comply_opa_up") == 0.0
    assert value(got, "opa_comply_opa_restarts_total") == 2.0
    assert not names(got) & {
        "opa_comply_compliance_ratio",
        "opa_comply_failing_findings",
        "opa_comply_alert_outbox",
    }


def test_a_store_corrupted_under_an_open_connection_gives_store_up_zero(
    tmp_path: Path, store: StateStore
) -> None:
    cache = FiguresCache()
    assert value(scrape(collector(store, cache)), "opa_comply_store_up") == 1.0
    path = tmp_path / "state.db"
    path.write_bytes(b"\x5a" * path.stat().st_size)
    got = scrape(collector(store, cache))
    assert value(got, "opa_comply_store_up") == 0.0
    assert value(got, "opa_comply_opa_up") == 1.0
    assert "opa_comply_compliance_ratio" not in names(got)  # no stale figures either
