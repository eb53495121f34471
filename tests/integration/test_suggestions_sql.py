"""The SQL suggestions (compliance_opa/domain/suggestions.py) run on a real PostgreSQL.

Objects with hostile names (quotes, backslashes, `${`, `</script>`, a newline, a bidi
override) are created, each suggestion is run against them and does what it says (the
role loses SUPERUSER, the table gets row-level security), inside a transaction rolled
back; the server settings (ALTER SYSTEM cannot run in a transaction) are applied,
checked in pg_file_settings and reset.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
from psycopg2 import sql

from compliance_opa.domain.findings import Check, Finding, Severity, Status
from compliance_opa.domain.suggestions import SQL, SUGGESTED_CHECKS, suggestion_for, suggestion_kind
from tests.pg_support import Cluster, start_cluster

HBA = """\
local all postgres peer
host all all 127.0.0.1/32 scram-sha-256
"""
NAMES = [
    "plain",
    'quo"te',
    "back\\slash",
    "tmpl${x}%{y}",
    "</script><img src=x>",
    "back`tick```",
    "new\nline",
    "bidi\u202eevil",
    "'; DROP ROLE postgres; --",
]
SQL_CHECKS = sorted(c for c in SUGGESTED_CHECKS if suggestion_kind(c) == SQL)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    server = start_cluster("suggestions", {}, HBA, tls=True)
    try:
        yield server
    finally:
        server.stop()


def check(check_id: str, resource_type: str) -> Check:
    return Check(check_id, "t", "", Severity.HIGH, (resource_type,), {}, "fix it")


def finding(check_id: str, resource_type: str, address: str) -> Finding:
    return Finding(check(check_id, resource_type), address, resource_type, Status.FAIL, "m", ())


def server_address(cluster: Cluster) -> str:
    return f"postgresql://127.0.0.1:{cluster.port}"


def connect(cluster: Cluster) -> Any:
    return psycopg2.connect(cluster.dsn(sslmode="require"))


def test_every_sql_suggestion_is_exercised_here() -> None:
    assert set(SQL_CHECKS) == set(ROLE_CHECKS) | {"PG-TBL-001"} | set(SERVER_CHECKS)


ROLE_CHECKS = {
    "PG-ROLE-001": ("SUPERUSER", "rolsuper"),
    "PG-ROLE-003": ("BYPASSRLS", "rolbypassrls"),
}


@pytest.mark.parametrize("check_id", sorted(ROLE_CHECKS))
@pytest.mark.parametrize("name", NAMES)
def test_role_suggestions_take_the_attribute_away(
    cluster: Cluster, check_id: str, name: str
) -> None:
    attribute, column = ROLE_CHECKS[check_id]
    address = f"{server_address(cluster)}?role={name}"
    made = suggestion_for(finding(check_id, "postgresql_role", address))
    assert made is not None
    assert made.kind == SQL
    connection = connect(cluster)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("CREATE ROLE {} LOGIN " + attribute).format(sql.Identifier(name))
            )
            cursor.execute(made.text)
            cursor.execute(
                sql.SQL("SELECT {} FROM pg_roles WHERE rolname = %s").format(
                    sql.Identifier(column)
                ),
                (name,),
            )
            assert cursor.fetchall() == [(False,)]
    finally:
        connection.rollback()
        connection.close()


@pytest.mark.parametrize("name", NAMES)
def test_the_row_level_security_suggestion_turns_it_on(cluster: Cluster, name: str) -> None:
    if "/" in name:
        schema, table = name.replace("/", "_"), name.replace("/", "_") + "_t"
    else:
        schema, table = name, name + "_t"
    address = f"{server_address(cluster)}/postgres/{schema}/{table}"
    made = suggestion_for(finding("PG-TBL-001", "postgresql_table", address))
    assert made is not None
    connection = connect(cluster)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            cursor.execute(
                sql.SQL("CREATE TABLE {}.{} (id int)").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            )
            cursor.execute(made.text)
            cursor.execute(
                "SELECT c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = %s AND c.relname = %s",
                (schema, table),
            )
            assert cursor.fetchall() == [(True, False)]
    finally:
        connection.rollback()
        connection.close()


def test_a_table_address_with_a_slash_in_a_name_gets_no_suggestion(cluster: Cluster) -> None:
    address = f"{server_address(cluster)}/postgres/a/b/c"
    assert suggestion_for(finding("PG-TBL-001", "postgresql_table", address)) is None


SERVER_CHECKS = {
    "PG-SRV-001": {"ssl": "on"},
    "PG-SRV-002": {"ssl_min_protocol_version": "TLSv1.2"},
    "PG-SRV-003": {"password_encryption": "scram-sha-256"},
    "PG-SRV-004": {"log_connections": "on", "log_disconnections": "on"},
    "PG-SRV-005": {"log_statement": "ddl"},
}


@pytest.mark.parametrize("check_id", sorted(SERVER_CHECKS))
def test_server_suggestions_write_the_settings(cluster: Cluster, check_id: str) -> None:
    made = suggestion_for(finding(check_id, "postgresql_server", server_address(cluster)))
    assert made is not None
    connection = connect(cluster)
    connection.autocommit = True  # ALTER SYSTEM cannot run inside a transaction block
    try:
        with connection.cursor() as cursor:
            statements = [line for line in made.text.split("\n") if not line.startswith("--")]
            assert all(s.endswith(";") for s in statements), statements
            for statement in statements:  # as psql sends them: one at a time
                cursor.execute(statement)
            cursor.execute(
                "SELECT name, setting, error FROM pg_file_settings"
                " WHERE sourcefile LIKE '%postgresql.auto.conf'"
            )
            written = {name: (setting, error) for name, setting, error in cursor.fetchall()}
            assert written == {k: (v, None) for k, v in SERVER_CHECKS[check_id].items()}
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER SYSTEM RESET ALL")
            cursor.execute("SELECT pg_reload_conf()")
        connection.close()
