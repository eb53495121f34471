"""The state store on SQLite and on a real PostgreSQL server: migrations, history, locks,
and a corrupt store reported and left untouched."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from compliance_opa.domain.drift import compare_scans
from compliance_opa.domain.findings import Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.errors import EngineError, InputError
from compliance_opa.state.history import last_scan, mark_complete, record_scan
from compliance_opa.state.migrations import LATEST
from compliance_opa.state.store import StateStore, default_state_path, open_store
from tests.conftest import EXAMPLES, run_cli
from tests.pg_support import Cluster, start_cluster
from tests.receivers import HttpReceiver
from tests.report_builder import check, finding, report

HBA = "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n"


@pytest.fixture(scope="module")
def postgres() -> Iterator[Cluster]:
    cluster = start_cluster("state", {}, HBA, tls=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "state.db")
    cluster: Cluster = request.getfixturevalue("postgres")
    database = f"state_{abs(hash(tmp_path)) % 10**8}"
    cluster.execute(f"CREATE DATABASE {database}")
    return cluster.uri(database)


def test_history_round_trip_and_carried_findings(store_url: str) -> None:
    rds = check("AWS-RDS-001")
    first = report({"AWS-RDS-001": ["db1", "db2"]}, [finding(rds, "db1"), finding(rds, "db2")])
    with open_store(store_url) as store:
        with store.transaction() as tx:
            assert last_scan(tx, "prod", "drift") is None
            record_scan(tx, "scan-1", "prod", "drift", first, "{}", compare_scans(first, None))
            assert last_scan(tx, "prod", "drift") is None  # not complete until published
            mark_complete(tx, "scan-1")
        # db2's source failed this time: it is carried forward, not resolved.
        second = report({"AWS-RDS-001": ["db1"]}, [finding(rds, "db1")], gaps=["x"])
        with store.transaction() as tx:
            previous = last_scan(tx, "prod", "drift")
            assert previous is not None
            assert previous[0] == "scan-1"
            assert sorted(p.resource for p in previous[1]) == ["db1", "db2"]
            drift = compare_scans(second, previous[1], previous[0])
            assert [p.resource for p in drift.unverified] == ["db2"]
            record_scan(tx, "scan-2", "prod", "drift", second, "{}", drift)
            mark_complete(tx, "scan-2")
    with open_store(store_url) as store, store.transaction() as tx:  # reopened: migrated once
        latest = last_scan(tx, "prod", "drift")
        assert latest is not None
        assert latest[0] == "scan-2"
        assert sorted(p.resource for p in latest[1]) == ["db1", "db2"]  # db2 still open
        assert last_scan(tx, "other scope", "drift") is None
        versions = tx.rows("SELECT version FROM opa_comply_migrations")
        assert [int(v) for (v,) in versions] == list(range(1, LATEST + 1))


def test_a_failed_transaction_leaves_nothing(store_url: str) -> None:
    rds = check("AWS-RDS-001")
    scan = report({"AWS-RDS-001": ["db1"]}, [finding(rds, "db1", Status.FAIL)])
    with open_store(store_url) as store:
        with pytest.raises(RuntimeError, match="killed half way"):
            _record_then_fail(store, scan)
        with store.transaction() as tx:
            assert last_scan(tx, "prod", "scan") is None
            assert tx.rows("SELECT COUNT(*) FROM findings") == [(0,)]


def _record_then_fail(store: StateStore, scan: ScanReport) -> None:
    with store.transaction() as tx:
        record_scan(tx, "scan-1", "prod", "scan", scan, "{}")
        raise RuntimeError("killed half way")


def test_a_second_writer_waits_then_gives_up_with_one_line(store_url: str) -> None:
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with open_store(store_url) as store, store.transaction():
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(30)
        # Opening migrates, which is a transaction too: it waits for the lock as well.
        with pytest.raises(EngineError, match="still locked by another run after 1 s"):
            open_store(store_url, lock_timeout=1)
    finally:
        release.set()
        holder.join(30)
    with open_store(store_url, lock_timeout=1) as store, store.transaction() as tx:
        assert tx.rows("SELECT 1") == [(1,)]  # free again once the first run is done


def test_default_store_is_private_to_its_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    path = default_state_path()
    assert path == tmp_path / "xdg" / "opa-comply" / "state.db"
    with open_store(None):
        pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_corrupt_store_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with open_store(str(path)) as store, store.transaction() as tx:
        tx.execute("CREATE TABLE filler (x TEXT)")
        for i in range(300):
            tx.execute("INSERT INTO filler VALUES (?)", (f"row {i} " * 20,))
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 2 + 200] = b"\xff" * 200  # a page of the store overwritten
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    result = run_cli("scan", EXAMPLES / "aws-production.json", "--state", path, "--fail-on", "none")
    assert result.code == 3
    line = result.stderr.strip()
    assert "\n" not in line
    assert "Traceback" not in line
    assert f"state store {path} is unreadable or corrupt" in line
    assert path.read_bytes() == before


def test_not_a_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_text("these are my notes, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(EngineError, match="unreadable or corrupt"):
        open_store(str(path))
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with open_store(str(path)) as store, store.transaction() as tx:
        tx.execute("INSERT INTO opa_comply_migrations VALUES (999, 'future', 'now')")
    with pytest.raises(EngineError, match="schema version 999, newer than this opa-comply"):
        open_store(str(path))


def test_bad_state_urls_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="expected a path, sqlite:///path or postgresql://"):
        open_store("mysql://db/state")
    with pytest.raises(InputError, match="exists and is not a regular file"):
        open_store(str(tmp_path))


def test_wrong_postgres_password_is_one_line_without_the_password(postgres: Cluster) -> None:
    url = postgres.uri(password="not-the-password-xyz")
    result = run_cli("scan", EXAMPLES / "aws-production.json", "--state", url, "--fail-on", "none")
    assert result.code == 3
    assert "not-the-password-xyz" not in result.stderr
    assert f"state store postgresql://postgres@127.0.0.1:{postgres.port}/postgres" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_scans_are_recorded_in_postgres_through_the_cli(postgres: Cluster) -> None:
    postgres.execute("CREATE DATABASE cli_state")
    url = postgres.uri("cli_state")
    for _ in range(2):
        result = run_cli(
            "scan", EXAMPLES / "aws-production.json", "--state", url, "--fail-on", "none",
            "--format", "json",
        )  # fmt: skip
        assert result.code == 0, result.stderr
    rows = postgres.query("SELECT scope, kind FROM scans ORDER BY seq", database="cli_state")
    assert len(rows) == 2
    assert rows[0][1] == "scan"
    assert rows[0][0] == "aws:123456789012"  # derived from the input's sources
    findings = postgres.query(
        "SELECT COUNT(*) FROM findings f JOIN scans s USING (scan_id) WHERE s.seq = 1",
        database="cli_state",
    )
    assert findings[0][0] == len(result.json()["findings"])
    assert os.environ.get("OPA_COMPLY_STATE") is None


def test_drift_on_postgres_state_alerts_once(postgres: Cluster, tmp_path: Path) -> None:
    postgres.execute("CREATE DATABASE drift_state")
    config = tmp_path / "opa-comply.yaml"
    with HttpReceiver() as hook:
        config.write_text(
            yaml.safe_dump(
                {
                    "drift": {"scope": "pg-state"},
                    "state": {"url": postgres.uri("drift_state")},
                    "alerts": {
                        "channels": {
                            "siem": {"type": "webhook", "url": f"{hook.url}/h", "secret_env": "K"}
                        },
                        "rules": [{"name": "all", "channels": ["siem"]}],
                    },
                }
            )
        )
        runs = [
            run_cli(
                "drift",
                EXAMPLES / "aws-production.json",
                "--config",
                config,
                "--format",
                "json",
                "--fail-on",
                "none",
                env={"K": "secret"},
            )
            for _ in range(2)
        ]
        assert [r.code for r in runs] == [0, 0], runs[0].stderr
        failing = [f for f in runs[0].json()["findings"] if f["status"] == "fail"]
        assert len(hook.requests) == len(failing)  # the second run sent nothing
        assert len({r.headers["idempotency-key"] for r in hook.requests}) == len(failing)
    assert runs[1].json()["drift"]["previous_scan"] == runs[0].json()["scan"]["id"]
    sent = postgres.query("SELECT status, COUNT(*) FROM outbox GROUP BY status", "drift_state")
    assert sent == [("sent", len(failing))]
