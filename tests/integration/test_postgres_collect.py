"""PostgreSQL collection end to end against two real servers (Debian's PostgreSQL, started
by the tests as the postgres user): a hardened one that must pass every check, and one
with every planted problem, which the scan must report with its controls."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from tests.conftest import REPO, CliResult, assert_one_line_error, free_port, opa_binary, run_cli
from tests.pg_estate import (
    APP_PASSWORD,
    CARD_NUMBERS,
    COLLECTOR_PASSWORD,
    EMAILS,
    SSNS,
    start_hardened,
    start_weak,
)
from tests.pg_support import SUPERUSER_PASSWORD, Cluster

# Every finding the weak server must produce, by address relative to the server.
WEAK_FINDINGS = {
    "": {"PG-SRV-001", "PG-SRV-002", "PG-SRV-003", "PG-SRV-004", "PG-SRV-005", "PG-SRV-006"},
    "/hba/2": {"PG-HBA-001"},  # host shop app_reader 127.0.0.1/32 trust
    "/hba/3": {"PG-HBA-002", "PG-HBA-003"},  # host all all 0.0.0.0/0 md5
    "?role=app_admin": {"PG-ROLE-001", "PG-ROLE-002"},
    "?role=app_reader": {"PG-ROLE-002"},
    "?role=etl": {"PG-ROLE-003"},
    "/shop/public": {"PG-PRIV-001"},
    "/shop/public/patients": {"PG-PRIV-002", "PG-TBL-001"},
    "/shop/public/orders": {"PG-TBL-002"},
    "/shop/public/support_tickets": {"PG-TBL-001"},  # SSNs found by sampling
    "/shop/analytics/visits": {"PG-TBL-001", "PG-TBL-003"},  # e-mails found by sampling
    "/shop/analytics/page_views": {"PG-TBL-001", "PG-TBL-003"},
    "/shop/public/staff": {"PG-PRIV-002", "PG-TBL-001"},  # a column granted to PUBLIC
    '/shop/public/odd "quoted" name': {"PG-TBL-001"},  # e-mail column, quoted identifiers
    "/shop/public/events": {"PG-TBL-001"},  # e-mails found in a block sample of 20,000 rows
    "/shop?extension=dblink": {"PG-EXT-002"},
    "/shop?language=plperlu": {"PG-EXT-001"},
}
PLANTED_VALUES = [*SSNS, *CARD_NUMBERS, *EMAILS]


@dataclass(frozen=True)
class Servers:
    hardened: Cluster
    weak: Cluster


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    hardened = start_hardened()
    try:
        weak = start_weak()
    except Exception:
        hardened.stop()
        raise
    try:
        yield Servers(hardened, weak)
    finally:
        hardened.stop()
        weak.stop()


@dataclass(frozen=True)
class Scanned:
    collect: CliResult
    scan: CliResult
    snapshot: dict[str, Any]
    report: dict[str, Any]
    folder: Path


@pytest.fixture(scope="module")
def scanned(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    folder = tmp_path_factory.mktemp("pg")
    snapshot = folder / "snapshot.json"
    collect = run_cli(
        "collect", "postgres", "--dsn", servers.hardened.uri(), "--dsn", servers.weak.dsn(),
        "--sample-rows", "50", "--output", snapshot,
    )  # fmt: skip
    assert collect.code == 0, collect.stderr
    scan = run_cli(
        "scan", snapshot, "--format", "json", "--output", folder / "report.json",
        "--report-dir", folder / "reports",
    )  # fmt: skip
    assert scan.code == 1, scan.stderr
    return Scanned(
        collect,
        scan,
        json.loads(snapshot.read_text()),
        json.loads((folder / "report.json").read_text()),
        folder,
    )


def _server(cluster: Cluster) -> str:
    return f"postgresql://127.0.0.1:{cluster.port}"


def _outcomes(scanned: Scanned, cluster: Cluster, status: str) -> dict[str, set[str]]:
    server = _server(cluster)
    found: dict[str, set[str]] = {}
    for finding in scanned.report["findings"]:
        if finding["status"] == status and finding["resource"].startswith(server):
            found.setdefault(finding["resource"].removeprefix(server), set()).add(
                finding["check_id"]
            )
    return found


def test_the_weak_server_shows_every_planted_problem_exactly(
    scanned: Scanned, servers: Servers
) -> None:
    assert _outcomes(scanned, servers.weak, "fail") == WEAK_FINDINGS
    assert _outcomes(scanned, servers.weak, "indeterminate") == {}


def test_the_hardened_server_passes(scanned: Scanned, servers: Servers) -> None:
    assert _outcomes(scanned, servers.hardened, "fail") == {}
    assert _outcomes(scanned, servers.hardened, "indeterminate") == {}
    tables = {
        r["name"]: r for r in scanned.snapshot["resources"] if r["type"] == "postgresql_table"
    }
    # It passes because it is protected, not because nothing was found in it.
    assert tables["clinic.public.patients"]["data_classes"] == ["pii", "phi"]
    assert tables["clinic.public.patients"]["attributes"]["row_security"] is True
    [card] = [
        c
        for c in tables["clinic.public.payments"]["attributes"]["columns"]
        if c["name"] == "card_number"
    ]
    assert (card["classification"], card["classified_by"], card["encrypted"]) == (
        "pan",
        "comment",
        True,
    )


def test_findings_carry_controls_of_all_five_frameworks(scanned: Scanned, servers: Servers) -> None:
    weak = [
        f for f in scanned.report["findings"] if f["resource"].startswith(_server(servers.weak))
    ]
    assert weak
    assert all(f["controls"] for f in weak)
    assert {framework for f in weak for framework in f["controls"]} == {
        "gdpr",
        "hipaa",
        "pci_dss",
        "soc2",
        "iso27001",
    }
    by_check = {f["check_id"]: f["controls"] for f in weak}
    assert set(by_check["PG-TBL-002"]) >= {"pci_dss"}
    assert set(by_check["PG-TBL-001"]) >= {"gdpr", "hipaa"}


def test_sampling_classifies_unlabelled_columns_by_counts(scanned: Scanned) -> None:
    tables = {
        r["name"]: r for r in scanned.snapshot["resources"] if r["type"] == "postgresql_table"
    }
    columns = {
        (table, c["name"]): c for table, r in tables.items() for c in r["attributes"]["columns"]
    }
    ssn = columns[("shop.public.support_tickets", "caller_ref")]
    assert (ssn["classification"], ssn["classified_by"]) == ("national_id", "sample")
    assert ssn["sample"] == {"detector": "ssn", "matched": 4, "sampled": 4, "confidence": 1.0}
    card = columns[("shop.public.orders", "legacy_ref")]
    assert (card["classification"], card["sample"]["detector"]) == ("pan", "card_number")
    assert columns[("shop.public.support_tickets", "summary")]["classification"] == "none"
    assert tables["shop.public.support_tickets"]["data_classes"] == ["pii"]
    events = columns[("shop.public.events", "contact")]
    assert (events["classified_by"], events["sample"]["sampled"]) == ("sample", 50)
    odd = columns[('shop.public.odd "quoted" name', "rate%")]
    assert odd["classification"] == "none"  # sampled without being taken for a placeholder


def test_no_sampled_value_is_written_anywhere(scanned: Scanned) -> None:
    texts = {
        "snapshot": json.dumps(scanned.snapshot),
        "collect output": scanned.collect.stdout + scanned.collect.stderr,
        "scan output": scanned.scan.stdout + scanned.scan.stderr,
        **{p.name: p.read_text() for p in (scanned.folder / "reports").iterdir()},
        "report": json.dumps(scanned.report),
    }
    assert len(texts) >= 8
    leaks = {
        (where, value) for where, text in texts.items() for value in PLANTED_VALUES if value in text
    }
    assert leaks == set()
    passwords = [SUPERUSER_PASSWORD, APP_PASSWORD, COLLECTOR_PASSWORD]
    assert [p for p in passwords if any(p in text for text in texts.values())] == []


def test_every_source_is_complete_for_a_superuser(scanned: Scanned, servers: Servers) -> None:
    scopes = {s["scope"]: s["status"] for s in scanned.snapshot["sources"]}
    expected = {
        f"{_server(c)}{suffix}"
        for c, databases in (
            (servers.hardened, ("clinic", "postgres")),
            (servers.weak, ("shop", "postgres", "zoo")),
        )
        for suffix in ("", "/hba", "/roles", *(f"/{d}" for d in databases))
    }
    assert scopes == dict.fromkeys(expected, "complete")


def test_a_non_superuser_records_what_it_cannot_read(servers: Servers, tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.json"
    dsn = servers.weak.dsn("postgres", "collector", COLLECTOR_PASSWORD)
    result = run_cli(
        "collect", "postgres", "--dsn", dsn, "--sample-rows", "10", "--output", snapshot
    )
    assert result.code == 0, result.stderr
    document = json.loads(snapshot.read_text())
    server = _server(servers.weak)
    sources = {s["scope"]: s for s in document["sources"]}
    assert sources[f"{server}/hba"]["status"] == "denied"
    assert "permission denied" in sources[f"{server}/hba"]["detail"]
    assert sources[f"{server}/roles"]["status"] == "partial"
    assert sources[f"{server}/shop"]["status"] == "partial"  # no SELECT on the tables
    detail = sources[f"{server}/shop"]["detail"]
    assert detail.startswith(
        "sampling analytics.page_views: permission denied for schema analytics"
    )
    assert detail.endswith(" more")  # every unsampled table counted, the first three named
    types = {r["type"] for r in document["resources"]}
    assert "postgresql_hba_rule" not in types  # not read, so not guessed
    assert {"postgresql_server", "postgresql_role", "postgresql_table"} <= types
    roles = [r for r in document["resources"] if r["type"] == "postgresql_role"]
    assert all("password_set" not in r["attributes"] for r in roles)
    [server_resource] = [r for r in document["resources"] if r["type"] == "postgresql_server"]
    assert server_resource["attributes"]["settings"]["password_encryption"] == "md5"
    assert f"opa-comply: postgresql {server}/hba denied: pg_hba_file_rules:" in result.stderr
    assert "4 coverage gaps" in result.stderr  # hba, roles, and unsampled shop and zoo


def test_a_terminated_backend_fails_that_database_only(servers: Servers, tmp_path: Path) -> None:
    weak = servers.weak
    config = tmp_path / "opa-comply.yaml"
    config.write_text("postgres:\n  lock_timeout_ms: 60000\n  statement_timeout_ms: 120000\n")
    blocker = psycopg2.connect(weak.dsn("shop"))
    try:
        with blocker.cursor() as cursor:  # sampling will wait on this lock
            cursor.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")
        process = subprocess.Popen(
            [sys.executable, "-m", "compliance_opa", "collect", "postgres", "--dsn", weak.dsn(),
             "--sample-rows", "10", "--config", str(config),
             "--output", str(tmp_path / "snapshot.json")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
            env={"PATH": "/usr/bin:/bin", "OPA_BINARY": str(opa_binary())},
        )  # fmt: skip
        terminated = _terminate_waiting_collector(weak)
    finally:
        blocker.rollback()
        blocker.close()
    _, stderr = process.communicate(timeout=120)
    assert terminated, "the collector never waited on the lock"
    assert process.returncode == 0, stderr
    document = json.loads((tmp_path / "snapshot.json").read_text())
    sources = {s["scope"]: s for s in document["sources"]}
    shop = sources[f"{_server(weak)}/shop"]
    assert shop["status"] == "failed"
    assert shop["detail"].startswith("connection lost during collection")
    assert sources[f"{_server(weak)}/postgres"]["status"] == "complete"
    assert sources[f"{_server(weak)}/zoo"]["status"] == "complete"  # the one after shop
    assert not [
        r for r in document["resources"] if r["address"].startswith(f"{_server(weak)}/shop")
    ]
    assert any(r["type"] == "postgresql_role" for r in document["resources"])


def _terminate_waiting_collector(cluster: Cluster) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        killed = cluster.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'opa-comply-collect' AND wait_event_type = 'Lock'"
        )
        if killed:
            return True
        time.sleep(0.05)
    return False


def test_a_wrong_password_is_a_gap_when_another_server_answers(
    servers: Servers, tmp_path: Path
) -> None:
    snapshot = tmp_path / "snapshot.json"
    wrong = servers.weak.uri(password="not-the-password-4242")
    result = run_cli(
        "collect", "postgres", "--dsn", wrong, "--dsn", servers.hardened.uri(), "--output", snapshot
    )
    assert result.code == 0, result.stderr
    sources = {s["scope"]: s for s in json.loads(snapshot.read_text())["sources"]}
    failed = sources[_server(servers.weak)]
    assert failed["status"] == "failed"
    assert 'password authentication failed for user "postgres"' in failed["detail"]
    assert sources[_server(servers.hardened)]["status"] == "complete"
    assert "not-the-password-4242" not in snapshot.read_text() + result.stderr


def test_nothing_collected_is_exit_3_with_one_line(servers: Servers, tmp_path: Path) -> None:
    wrong = servers.weak.uri(password="not-the-password-4242")
    result = run_cli(
        "collect", "postgres", "--dsn-env", "PG", "--output", tmp_path / "s.json",
        env={"PG": wrong},
    )  # fmt: skip
    assert_one_line_error(
        result, 3, "nothing could be collected from PostgreSQL", "password authentication failed"
    )
    assert "not-the-password-4242" not in result.stderr
    assert not (tmp_path / "s.json").exists()
    refused = run_cli(
        "collect", "postgres", "--dsn-env", "PG", "--output", tmp_path / "s.json",
        env={"PG": f"postgresql://u:pw-7@127.0.0.1:{free_port()}/db"},
    )  # fmt: skip
    assert_one_line_error(refused, 3, "Connection refused")
    assert "pw-7" not in refused.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--dsn", "host=db password=hunter2 nonsense"), "--dsn #1: not a connection URI"),
        ((), "no database to collect: give --dsn"),
    ],
)
def test_bad_dsns_are_exit_2_and_never_echoed(
    tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    result = run_cli("collect", "postgres", *args, "--output", tmp_path / "s.json")
    assert_one_line_error(result, 2, fragment)
    assert "hunter2" not in result.stderr


def test_scan_collects_postgres_itself(servers: Servers) -> None:
    result = run_cli(
        "scan", "--collect", "postgres", "--dsn", servers.hardened.uri(), "--database", "clinic",
        "--format", "json", "--fail-on", "low",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    report = result.json()
    assert report["summary"]["collection"]["complete"] is True
    assert report["scan"]["inputs"][0]["path"] == "live postgres collection"
    assert report["scan"]["inputs"][0]["resources"] > 5


def test_settings_hidden_from_the_role_are_a_gap(servers: Servers, tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.json"
    dsn = servers.weak.dsn("zoo", "bare", COLLECTOR_PASSWORD)
    result = run_cli("collect", "postgres", "--dsn", dsn, "--database", "zoo", "--output", snapshot)
    assert result.code == 0, result.stderr
    document = json.loads(snapshot.read_text())
    sources = {s["scope"]: s for s in document["sources"]}
    settings = sources[f"{_server(servers.weak)}/settings"]
    assert settings["status"] == "partial"
    assert "pg_read_all_settings" in settings["detail"]
    [server] = [r for r in document["resources"] if r["type"] == "postgresql_server"]
    assert "shared_preload_libraries" not in server["attributes"]["settings"]


def test_the_server_settings_are_the_servers_not_the_collectors(
    scanned: Scanned, servers: Servers
) -> None:
    [weak] = [
        r
        for r in scanned.snapshot["resources"]
        if r["type"] == "postgresql_server" and r["address"] == _server(servers.weak)
    ]
    settings = weak["attributes"]["settings"]
    # The collector's own session runs read-only with timeouts; the server's defaults do not.
    assert settings["default_transaction_read_only"] == "off"
    assert settings["statement_timeout"] == "0"
    assert settings["lock_timeout"] == "0"


def test_sampling_gives_its_locks_back_at_once(servers: Servers) -> None:
    from collectors.postgres.database import collect_database
    from collectors.postgres.options import PostgresOptions
    from collectors.postgres.session import connect

    options = PostgresOptions(sample_rows=5)
    connection = connect(servers.weak.dsn("shop"), options)
    try:
        part = collect_database(connection, _server(servers.weak), "shop", options)
        assert any(r["type"] == "postgresql_table" for r in part.resources)
        with connection.cursor() as cursor:  # still inside the collection's transaction
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        user_tables = "SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        held = servers.weak.query(
            f"SELECT relation::regclass::text FROM pg_locks WHERE pid = {int(pid)}"  # noqa: S608
            f" AND relation IN ({user_tables})",
            database="shop",
        )
        assert held == []  # no user table stays locked while the collection goes on
    finally:
        connection.close()


def test_excluded_schemas_are_not_read(servers: Servers, tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.json"
    result = run_cli(
        "collect", "postgres", "--dsn", servers.weak.dsn(), "--database", "shop",
        "--exclude-schema", "analytics", "--output", snapshot,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    names = {r["name"] for r in json.loads(snapshot.read_text())["resources"]}
    assert "shop.public.orders" in names
    assert not [n for n in names if n.startswith("shop.analytics")]
