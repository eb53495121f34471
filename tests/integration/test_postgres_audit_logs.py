"""pgaudit logs of a real PostgreSQL 15, summarised: counts compared exactly, no literal kept.

One cluster with pgaudit (read, write, role, ddl; one line per relation) writes csvlog
and jsonlog at once; a known workload runs in the period, and both logs must give the
same summary. Every value the workload writes, reads or sets as a password is a
'secret-literal-...' string, and none may appear anywhere in the summary.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from collectors.auditlog.period import Period
from collectors.auditlog.postgres import summarise_postgres_logs
from tests.pg_support import Cluster, start_cluster

HBA = """\
local all postgres peer
host all all 127.0.0.1/32 scram-sha-256
"""
SETTINGS = {
    "shared_preload_libraries": "'pgaudit'",
    "pgaudit.log": "'read,write,role,ddl'",
    "pgaudit.log_relation": "on",
    "logging_collector": "on",
    "log_destination": "'csvlog,jsonlog'",
    "log_connections": "on",
    "log_timezone": "'UTC'",
}
ANALYST_PASSWORD = "secret-literal-analyst-pw"
ANALYST_NEW_PASSWORD = "secret-literal-new-pw"
RESTRICTED_PASSWORD = "secret-literal-restricted-pw"

# The workload: (role, password, statement); each statement is one query string.
SUPER = ("postgres", None)
WORKLOAD: list[tuple[tuple[str, str | None], str]] = [
    (SUPER, "CREATE TABLE public.patients (id int, name text)"),
    (SUPER, "CREATE TABLE notes (id int, body text)"),
    (SUPER, "INSERT INTO patients VALUES (1, 'secret-literal-name')"),
    (SUPER, "INSERT INTO notes VALUES (1, 'secret-literal-note')"),
    (SUPER, "SELECT * FROM patients WHERE name = 'secret-literal-where'"),
    (SUPER, "SELECT * FROM notes"),
    (SUPER, "UPDATE patients SET name = 'secret-literal-update' WHERE id = 1"),
    (SUPER, "INSERT INTO notes VALUES (2, 'secret-literal-multi'); SELECT count(*) FROM patients"),
    (
        SUPER,
        "DO $$BEGIN INSERT INTO patients VALUES (2, 'secret-literal-do');"
        " PERFORM * FROM patients; END$$",
    ),
    (SUPER, f"CREATE ROLE analyst LOGIN PASSWORD '{ANALYST_PASSWORD}'"),
    (SUPER, f"CREATE ROLE restricted LOGIN PASSWORD '{RESTRICTED_PASSWORD}'"),
    (SUPER, "CREATE ROLE reporting NOLOGIN"),
    (SUPER, "GRANT SELECT ON patients TO PUBLIC"),
    (SUPER, "GRANT SELECT, INSERT ON TABLE public.patients TO analyst"),
    (SUPER, "GRANT SELECT ON notes TO reporting"),
    (SUPER, "REVOKE SELECT ON patients FROM PUBLIC"),
    (SUPER, f"ALTER ROLE analyst PASSWORD '{ANALYST_NEW_PASSWORD}'"),
    (SUPER, "CREATE ROLE temporary_role"),
    (SUPER, "DROP ROLE temporary_role"),
    (("analyst", ANALYST_NEW_PASSWORD), "SELECT id FROM patients"),
    (("restricted", RESTRICTED_PASSWORD), "SELECT * FROM patients"),  # denied: 42501
]
CLASSIFIED = {"appdb.public.patients": ["health", "personal"]}


@pytest.fixture(scope="module")
def audited() -> Iterator[tuple[Cluster, Period]]:
    cluster = start_cluster("audit", SETTINGS, HBA, tls=False)
    try:
        cluster.execute("CREATE DATABASE appdb")
        time.sleep(0.05)
        start = datetime.now(UTC)
        time.sleep(0.05)
        for (user, password), statement in WORKLOAD:
            dsn = (
                cluster.dsn("appdb", sslmode="disable")
                if password is None
                else cluster.dsn("appdb", user=user, password=password, sslmode="disable")
            )
            connection = psycopg2.connect(dsn)
            connection.autocommit = True
            try:
                with connection.cursor() as cursor:
                    cursor.execute(statement)
            except psycopg2.errors.InsufficientPrivilege:
                pass
            finally:
                connection.close()
        for user, password in (
            ("analyst", "secret-literal-wrong"),
            ("analyst", "x"),
            ("nobody", "y"),
        ):
            with pytest.raises(psycopg2.OperationalError):
                psycopg2.connect(
                    cluster.dsn("appdb", user=user, password=password, sslmode="disable")
                )
        time.sleep(0.05)
        end = datetime.now(UTC)
        time.sleep(0.05)
        cluster.execute("CREATE TABLE after_the_period ()", database="appdb")
        _wait_for(cluster, "after_the_period")
        yield cluster, Period(start, end)
    finally:
        cluster.stop()


def _wait_for(cluster: Cluster, text: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        logs = list((cluster.data / "log").glob("*"))
        if logs and all(text in p.read_text() for p in logs if p.suffix in (".csv", ".json")):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never reached the logs")


def _summary(cluster: Cluster, period: Period, suffix: str) -> dict[str, Any]:
    files = sorted((cluster.data / "log").glob(f"*{suffix}"))
    return summarise_postgres_logs(
        files,
        period=period,
        server="audit-test",
        classified=CLASSIFIED,
        pgaudit_configured=True,
        login_roles={"postgres", "analyst", "restricted"},
    )


def _grant(time: Any, privileges: list[str], objects: list[str], grantees: list[Any],
           classes: list[str], command: str = "GRANT") -> dict[str, Any]:  # fmt: skip
    return {
        "time": time, "database": "appdb", "user": "postgres", "client": "127.0.0.1",
        "class": "ROLE", "command": command, "object_type": "", "object_name": "",
        "privileges": privileges, "object_kind": "TABLE", "objects": objects,
        "grantees": grantees, "data_classes": classes,
    }  # fmt: skip


def _role(time: Any, command: str, role: str) -> dict[str, Any]:
    return {
        "time": time, "database": "appdb", "user": "postgres", "client": "127.0.0.1",
        "class": "ROLE", "command": command, "object_type": "", "object_name": "",
        "roles": [role],
    }  # fmt: skip


PUBLIC = {"name": "PUBLIC", "public": True, "login": None}
PHI = ["health", "personal"]


def test_csvlog_counts_exactly(audited: tuple[Cluster, Period]) -> None:
    cluster, period = audited
    resource = _summary(cluster, period, ".csv")
    a = resource["attributes"]
    times = iter([entry["time"] for entry in a["role_statements"]])
    assert resource["address"] == "postgresql-audit://audit-test"
    assert resource["type"] == "postgresql_audit_summary"
    assert resource["data_classes"] == PHI
    # 21 statements: the workload's 21 query strings, less the denied SELECT (pgaudit logs
    # a statement only once its permissions pass), plus one for the query string holding
    # two statements; the DO block's INSERT and SELECT are substatements of one statement.
    assert a["total_operations"] == 21
    assert a["by_database"] == {"appdb": 21}
    assert a["by_user"] == {"analyst": 1, "postgres": 20}
    assert a["by_class"] == {"DDL": 2, "READ": 5, "ROLE": 10, "WRITE": 5}
    assert a["by_command"] == {
        "ALTER ROLE": 1, "CREATE ROLE": 4, "CREATE TABLE": 2, "DROP ROLE": 1, "GRANT": 3,
        "INSERT": 4, "REVOKE": 1, "SELECT": 5, "UPDATE": 1,
    }  # fmt: skip
    # patients: read by the SELECT, the count(*), the DO block's PERFORM and the analyst;
    # written by the INSERT, the UPDATE and the DO block's INSERT. notes is not classified.
    assert a["sensitive_operations"] == {
        "total": 7, "reads": 4, "writes": 3,
        "tables": [
            {"table": "appdb.public.patients", "data_classes": PHI, "reads": 4, "writes": 3}
        ],
    }  # fmt: skip
    assert a["role_statements"] == [
        _role(next(times), "CREATE ROLE", "analyst"),
        _role(next(times), "CREATE ROLE", "restricted"),
        _role(next(times), "CREATE ROLE", "reporting"),
        _grant(next(times), ["SELECT"], ["public.patients"], [PUBLIC], PHI),
        _grant(
            next(times),
            ["INSERT", "SELECT"],
            ["public.patients"],
            [{"name": "analyst", "public": False, "login": True}],
            PHI,
        ),
        _grant(
            next(times),
            ["SELECT"],
            ["public.notes"],
            [{"name": "reporting", "public": False, "login": False}],
            [],
        ),
        _grant(next(times), ["SELECT"], ["public.patients"], [PUBLIC], PHI, "REVOKE"),
        _role(next(times), "ALTER ROLE", "analyst"),
        _role(next(times), "CREATE ROLE", "temporary_role"),
        _role(next(times), "DROP ROLE", "temporary_role"),
    ]
    assert a["role_statements_total"] == 10
    assert a["classified_grants"] == a["role_statements"][3:5]
    assert a["classified_grants_total"] == 2
    assert [(d["command"], d["user"]) for d in a["ddl_statements"]] == [
        ("CREATE TABLE", "postgres"), ("CREATE TABLE", "postgres"),
    ]  # fmt: skip
    assert a["ddl_statements_total"] == 2  # CREATE DATABASE before, after_the_period after
    assert a["access_violations"] == [{"user": "restricted", "client": "127.0.0.1", "count": 1}]
    assert a["access_violations_total"] == 1
    assert a["failed_logins"] == [
        {"user": "analyst", "client": "127.0.0.1", "sqlstate": "28P01", "count": 2},
        {"user": "nobody", "client": "127.0.0.1", "sqlstate": "28P01", "count": 1},
    ]
    assert a["failed_logins_total"] == 3
    assert a["pgaudit_configured"] is True
    for entry in a["role_statements"]:
        assert period.start <= datetime.fromisoformat(entry["time"]) < period.end
    [source] = a["sources"]
    assert source["format"] == "csvlog"
    assert source["bytes"] == Path(source["path"]).stat().st_size
    assert source["lines"] >= source["records"] > 30


def test_jsonlog_gives_the_same_summary(audited: tuple[Cluster, Period]) -> None:
    cluster, period = audited
    from_csv = _summary(cluster, period, ".csv")["attributes"]
    from_json = _summary(cluster, period, ".json")["attributes"]
    assert from_json.pop("sources")[0]["format"] == "jsonlog"
    from_csv.pop("sources")
    assert from_json == from_csv


def test_gzip_logs_give_the_same_summary(audited: tuple[Cluster, Period], tmp_path: Path) -> None:
    cluster, period = audited
    for log in (cluster.data / "log").glob("*.csv"):
        (tmp_path / f"{log.name}.gz").write_bytes(gzip.compress(log.read_bytes()))
    plain = _summary(cluster, period, ".csv")["attributes"]
    packed = summarise_postgres_logs(
        [tmp_path], period=period, server="audit-test", classified=CLASSIFIED,
        pgaudit_configured=True, login_roles={"postgres", "analyst", "restricted"},
    )["attributes"]  # fmt: skip
    [source] = packed.pop("sources")
    assert source["sha256"] == hashlib.sha256(Path(source["path"]).read_bytes()).hexdigest()
    assert source["lines"] == plain.pop("sources")[0]["lines"]
    assert packed == plain


def test_no_literal_reaches_the_summary(audited: tuple[Cluster, Period]) -> None:
    cluster, period = audited
    logs = "".join(p.read_text() for p in (cluster.data / "log").glob("*.csv"))
    assert "secret-literal-name" in logs  # the log holds them: the summary must not
    for suffix in (".csv", ".json"):
        text = json.dumps(_summary(cluster, period, suffix))
        assert "secret-literal" not in text
        assert "PASSWORD" not in text.upper().replace('"PASSWORD"', "")


def test_a_period_before_the_workload_is_empty(audited: tuple[Cluster, Period]) -> None:
    cluster, period = audited
    earlier = Period(period.start - timedelta(days=1), period.start)
    a = _summary(cluster, earlier, ".csv")["attributes"]
    # the cluster's readiness probe (SELECT 1) and CREATE DATABASE appdb, in postgres
    assert a["total_operations"] == 2
    assert a["by_database"] == {"postgres": 2}
    assert a["by_command"] == {"CREATE DATABASE": 1, "SELECT": 1}
    assert a["role_statements"] == a["failed_logins"] == a["access_violations"] == []
