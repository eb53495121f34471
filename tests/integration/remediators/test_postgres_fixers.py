"""The PostgreSQL fixers against a real cluster, judged by the real collector and OPA:
the check fails, the fix makes it pass without making another check fail, and the
rollback brings back exactly the earlier ACL or expiry (and the failure)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.errors import EngineError, InputError
from remediators.postgres import FIXERS, RolePasswordExpiry
from remediators.postgres.connect import PostgresRemediationOptions, connect
from remediators.postgres.session import PostgresFixer
from tests.pg_support import SUPERUSER_PASSWORD, Cluster
from tests.remediator_pg_support import (
    COLLECTOR_PASSWORD,
    COLLECTOR_USERS,
    DATABASE,
    HOSTILE_ROLE,
    HOSTILE_SCHEMA,
    HOSTILE_TABLE,
    REMEDIATOR,
    REMEDIATOR_PASSWORD,
    USER_PASSWORD,
    collect,
    failing,
    remediator_environ,
    resource_of,
    server,
    start_estate,
)

OPTIONS = PostgresRemediationOptions()
# An ACL's items in a fixed order: a grant given back is appended, so only the order moves.
_SORTED_ACL = "SELECT array(SELECT unnest({acl})::text ORDER BY 1) FROM {table} WHERE {where}"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    started = start_estate()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(autouse=True)
def _state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state-home"))


@pytest.fixture
def session(cluster: Cluster) -> Iterator[Any]:
    connection = connect(OPTIONS, remediator_environ(cluster), DATABASE, COLLECTOR_USERS)
    try:
        yield connection
    finally:
        connection.rollback()
        connection.close()


def _fixer(check_id: str) -> PostgresFixer:
    [fixer] = [f for f in FIXERS if f.check_id == check_id]
    assert isinstance(fixer, PostgresFixer)
    return fixer


def _catalog(cluster: Cluster, query: str) -> list[tuple[Any, ...]]:
    return cluster.query(query, database=DATABASE)


def _round_trip(
    cluster: Cluster, session: Any, tmp_path: Path, check_id: str, address: str, raw: str
) -> tuple[Any, Any]:
    """Fail, fix, pass, roll back, fail again; the raw catalog value equal before and after.
    Returns the value read before and the value written by the fix."""
    fixer = _fixer(check_id)
    before, snapshot = failing(cluster, tmp_path / "before")
    assert check_id in before[address]
    resource = resource_of(snapshot, address)
    raw_before = _catalog(cluster, raw)

    current = fixer.read(session, resource)
    proposed = fixer.desired(resource, current)
    assert proposed != current
    fixer.write(session, resource, proposed)
    session.commit()
    assert fixer.read(session, resource) == proposed

    fixed, _ = failing(cluster, tmp_path / "fixed")
    assert fixed.get(address, set()) == before[address] - {check_id}
    others = {a: c for a, c in fixed.items() if a != address}
    assert others == {a: c for a, c in before.items() if a != address}

    fixer.write(session, resource, current)
    session.commit()
    again, _ = failing(cluster, tmp_path / "again")
    assert again == before
    if check_id != "PG-ROLE-002":  # NULL comes back as 'infinity' (see its test)
        assert fixer.read(session, resource) == current
        assert _catalog(cluster, raw) == raw_before
    return current, proposed


def test_every_fixer_is_a_postgres_fixer_of_a_real_check() -> None:
    assert sorted(f.check_id for f in FIXERS) == ["PG-PRIV-001", "PG-PRIV-002", "PG-ROLE-002"]
    assert all(f.platform == "postgres" and f.actions for f in FIXERS)


def test_schema_create_is_revoked_from_public_and_granted_back(
    cluster: Cluster, session: Any, tmp_path: Path
) -> None:
    address = f"{server(cluster)}/{DATABASE}/sales"
    raw = _SORTED_ACL.format(acl="nspacl", table="pg_namespace", where="nspname = 'sales'")
    current, proposed = _round_trip(cluster, session, tmp_path, "PG-PRIV-001", address, raw)
    assert (current, proposed) == (["shop_owner"], [])
    fixer = _fixer("PG-PRIV-001")
    resource = resource_of(collect(cluster, tmp_path / "r")[1], address)
    # analyst has CREATE of its own; the owner's member and superusers are not listed.
    [line] = fixer.affected(session, resource)
    assert line.endswith(
        "lose it: app_reader, collector, intern, r'\"; DROP ROLE intern; --, sneaky"
    )
    change = fixer.describe(resource, current, proposed)
    assert change.summary == "Revoke CREATE on schema shop.sales from PUBLIC"
    assert (change.current, change.proposed, change.impact) == (["shop_owner"], [], "resource")


def test_the_public_schema_of_pg15_is_fixed_as_pg_database_owner(
    cluster: Cluster, session: Any, tmp_path: Path
) -> None:
    # public belongs to pg_database_owner: the remediation role acts as it through its
    # membership in the database's owner, as role.sql says.
    address = f"{server(cluster)}/{DATABASE}/public"
    raw = _SORTED_ACL.format(acl="nspacl", table="pg_namespace", where="nspname = 'public'")
    current, _ = _round_trip(cluster, session, tmp_path, "PG-PRIV-001", address, raw)
    assert current == ["pg_database_owner"]


def test_table_privileges_of_public_are_revoked_and_granted_back_exactly(
    cluster: Cluster, session: Any, tmp_path: Path
) -> None:
    address = f"{server(cluster)}/{DATABASE}/public/patients"
    raw = """
    SELECT a.attnum, array(SELECT unnest(c.relacl)::text ORDER BY 1),
           array(SELECT unnest(a.attacl)::text ORDER BY 1)
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
    WHERE c.relname = 'patients' ORDER BY a.attnum
    """
    current, proposed = _round_trip(cluster, session, tmp_path, "PG-PRIV-002", address, raw)
    assert proposed == []
    # Two grantors of SELECT (the owner, and team_lead through its grant option) and the
    # column grants: each comes back under its own grantor.
    assert current == [
        {"privilege": "INSERT", "column": None, "grantor": "shop_owner"},
        {"privilege": "SELECT", "column": None, "grantor": "shop_owner"},
        {"privilege": "SELECT", "column": None, "grantor": "team_lead"},
        {"privilege": "REFERENCES", "column": "id", "grantor": "shop_owner"},
        {"privilege": "UPDATE", "column": "notes", "grantor": "shop_owner"},
    ]
    fixer = _fixer("PG-PRIV-002")
    resource = resource_of(collect(cluster, tmp_path / "r")[1], address)
    [line] = fixer.affected(session, resource)
    assert "reach table shop.public.patients only through PUBLIC" in line
    assert line.endswith(
        "lose access: app_reader, collector, intern, r'\"; DROP ROLE intern; --, sneaky"
    )
    change = fixer.describe(resource, current, proposed)
    assert change.summary == (
        'Revoke INSERT, SELECT, REFERENCES ("id"), UPDATE ("notes") on table'
        " shop.public.patients from PUBLIC"
    )


def test_a_login_role_gets_an_expiry_and_rollback_means_never_again(
    cluster: Cluster, session: Any, tmp_path: Path
) -> None:
    address = f"{server(cluster)}?role=app_reader"
    raw = "SELECT rolvaliduntil FROM pg_roles WHERE rolname = 'app_reader'"
    current, proposed = _round_trip(cluster, session, tmp_path, "PG-ROLE-002", address, raw)
    assert current is None
    assert isinstance(proposed, str)
    assert proposed.endswith("T00:00:00.000000Z")
    # ALTER ROLE cannot store NULL: the rollback writes 'infinity', the same meaning.
    fixer = _fixer("PG-ROLE-002")
    resource = resource_of(collect(cluster, tmp_path / "r")[1], address)
    assert resource["attributes"]["valid_until"] == "infinity"
    assert fixer.read(session, resource) == "infinity"
    change = fixer.describe(resource, None, "infinity")
    assert not any("becomes 'infinity'" in line for line in change.blast_radius)
    rollback = fixer.describe(resource, "2030-01-01T00:00:00.000000Z", None)
    assert any("becomes 'infinity'" in line for line in rollback.blast_radius)
    # An exact instant round-trips to the microsecond.
    fixer.write(session, resource, "2031-02-03T04:05:06.789012Z")
    session.commit()
    assert fixer.read(session, resource) == "2031-02-03T04:05:06.789012Z"
    fixer.write(session, resource, "infinity")
    session.commit()
    assert fixer.affected(session, resource) == ("0 session(s) of role app_reader are open now",)


def test_the_expiry_is_the_days_asked_for(cluster: Cluster, tmp_path: Path) -> None:
    resource = resource_of(collect(cluster, tmp_path)[1], f"{server(cluster)}?role=app_reader")
    soon = RolePasswordExpiry(days=30).desired(resource, None)
    assert soon == f"{(datetime.now(UTC).date() + timedelta(days=30)).isoformat()}T00:00:00.000000Z"
    assert RolePasswordExpiry().desired(resource, "2030-01-01T00:00:00.000000Z") == (
        "2030-01-01T00:00:00.000000Z"
    )


def test_hostile_names_are_quoted(cluster: Cluster, session: Any, tmp_path: Path) -> None:
    snapshot = collect(cluster, tmp_path)[1]
    base = f"{server(cluster)}/{DATABASE}"
    targets = [
        ("PG-PRIV-002", f"{base}/public/{HOSTILE_TABLE}"),
        ("PG-PRIV-001", f"{base}/{HOSTILE_SCHEMA}"),
        ("PG-ROLE-002", f"{server(cluster)}?role={HOSTILE_ROLE}"),
    ]
    for check_id, address in targets:
        fixer = _fixer(check_id)
        resource = resource_of(snapshot, address)
        current = fixer.read(session, resource)
        fixer.write(session, resource, fixer.desired(resource, current))
        session.commit()
        assert fixer.read(session, resource) == fixer.desired(resource, current)
        fixer.write(session, resource, current)
        session.commit()
    assert _fixer("PG-PRIV-002").read(session, resource_of(snapshot, targets[0][1])) == [
        {"privilege": "SELECT", "column": None, "grantor": "shop_owner"},
        {"privilege": "UPDATE", "column": 'e"mail', "grantor": "shop_owner"},
    ]
    # Nothing was dropped by a name: y, the public schema and intern are all there.
    assert _catalog(cluster, "SELECT count(*) FROM y") == [(0,)]
    assert _catalog(cluster, "SELECT count(*) FROM pg_namespace WHERE nspname = 'public'") == [(1,)]
    assert _catalog(cluster, "SELECT count(*) FROM pg_roles WHERE rolname = 'intern'") == [(1,)]
    after, _ = failing(cluster, tmp_path / "after")
    assert "PG-PRIV-002" in after[targets[0][1]]
    assert "PG-PRIV-001" in after[targets[1][1]]
    assert "PG-ROLE-002" in after[targets[2][1]]


def test_a_superuser_owned_table_is_refused_in_one_line(
    cluster: Cluster, session: Any, tmp_path: Path
) -> None:
    resource = resource_of(
        collect(cluster, tmp_path)[1], f"{server(cluster)}/{DATABASE}/public/super_owned"
    )
    fixer = _fixer("PG-PRIV-002")
    current = fixer.read(session, resource)
    assert current == [{"privilege": "SELECT", "column": None, "grantor": "postgres"}]
    with pytest.raises(EngineError, match="cannot act as 'postgres'") as raised:
        fixer.write(session, resource, [])
    assert "\n" not in str(raised.value)
    session.rollback()
    assert fixer.read(session, resource) == current


def test_a_superuser_role_cannot_be_given_an_expiry(cluster: Cluster, session: Any) -> None:
    # CREATEROLE stops at superusers (the check leaves admin roles out anyway).
    superuser = {
        "address": f"{server(cluster)}?role=postgres",
        "attributes": {"rolname": "postgres"},
    }
    with pytest.raises(EngineError, match=r"PG-ROLE-002 write .*superuser") as raised:
        _fixer("PG-ROLE-002").write(session, superuser, "2030-01-01T00:00:00.000000Z")
    assert "\n" not in str(raised.value)
    session.rollback()
    [(valid,)] = _catalog(
        cluster, "SELECT rolvaliduntil::text FROM pg_roles WHERE rolname = 'postgres'"
    )
    assert valid.startswith("2099-12-31")


def test_a_value_that_is_not_a_grant_is_refused(
    cluster: Cluster, session: Any, tmp_path: Path
) -> None:
    resource = resource_of(
        collect(cluster, tmp_path)[1], f"{server(cluster)}/{DATABASE}/public/patients"
    )
    fixer = _fixer("PG-PRIV-002")
    hostile = [{"privilege": "SELECT; DROP TABLE y", "column": None, "grantor": "shop_owner"}]
    with pytest.raises(InputError, match="not a privilege GRANT takes"):
        fixer.write(session, resource, hostile)
    with pytest.raises(InputError, match="must be null, 'infinity'"):
        _fixer("PG-ROLE-002").write(
            session, {"address": "r", "attributes": {"rolname": "intern"}}, "2030'; DROP"
        )


def test_a_connection_to_another_database_is_refused(cluster: Cluster, tmp_path: Path) -> None:
    resource = resource_of(collect(cluster, tmp_path)[1], f"{server(cluster)}/{DATABASE}/sales")
    other = connect(OPTIONS, remediator_environ(cluster), "postgres", COLLECTOR_USERS)
    try:
        with pytest.raises(EngineError, match="connected to database 'postgres'"):
            _fixer("PG-PRIV-001").read(other, resource)
    finally:
        other.close()


def test_the_session_has_timeouts_and_writes_uncommitted(cluster: Cluster, session: Any) -> None:
    with session.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("30s",)
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("5s",)
        cursor.execute("SELECT session_user, current_database()")
        assert cursor.fetchone() == (REMEDIATOR, DATABASE)
    assert session.autocommit is False


def test_connect_refuses_a_missing_variable() -> None:
    with pytest.raises(InputError, match="OPA_COMPLY_REMEDIATION_PG_DSN is not set"):
        connect(OPTIONS, {}, DATABASE, COLLECTOR_USERS)
    custom = PostgresRemediationOptions(dsn_env="FIX_DSN")
    with pytest.raises(InputError, match="FIX_DSN is not set"):
        connect(custom, {"OPA_COMPLY_REMEDIATION_PG_DSN": "host=x"}, DATABASE, COLLECTOR_USERS)


def test_connect_refuses_the_collectors_user(cluster: Cluster) -> None:
    environ = {
        "OPA_COMPLY_REMEDIATION_PG_DSN": cluster.uri(DATABASE, "collector", COLLECTOR_PASSWORD)
    }
    with pytest.raises(InputError, match="'collector' is the collector's") as raised:
        connect(OPTIONS, environ, DATABASE, COLLECTOR_USERS)
    assert COLLECTOR_PASSWORD not in str(raised.value)


def test_connect_refuses_the_collectors_user_named_outside_the_dsn(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No user in the DSN: libpq takes PGUSER; the session's user is checked after login.
    monkeypatch.setenv("PGUSER", "collector")
    dsn = f"host=127.0.0.1 port={cluster.port} password={COLLECTOR_PASSWORD}"
    with pytest.raises(InputError, match="'collector' is the collector's"):
        connect(OPTIONS, {"OPA_COMPLY_REMEDIATION_PG_DSN": dsn}, DATABASE, COLLECTOR_USERS)


def test_connect_refuses_a_superuser_and_a_member_of_one(cluster: Cluster) -> None:
    superuser = {"OPA_COMPLY_REMEDIATION_PG_DSN": cluster.dsn(DATABASE)}
    with pytest.raises(InputError, match="'postgres' is a superuser") as raised:
        connect(OPTIONS, superuser, DATABASE, set())
    assert SUPERUSER_PASSWORD not in str(raised.value)
    sneaky = remediator_environ(cluster, "sneaky", USER_PASSWORD)
    with pytest.raises(InputError, match="member of the superuser role\\(s\\) 'postgres'"):
        connect(OPTIONS, sneaky, DATABASE, COLLECTOR_USERS)


def test_connect_failures_never_show_the_password(cluster: Cluster) -> None:
    wrong = {
        "OPA_COMPLY_REMEDIATION_PG_DSN": cluster.uri(
            DATABASE, REMEDIATOR, "not-" + REMEDIATOR_PASSWORD
        )
    }
    with pytest.raises(EngineError, match="cannot connect to database 'shop'") as raised:
        connect(OPTIONS, wrong, DATABASE, COLLECTOR_USERS)
    assert "not-" + REMEDIATOR_PASSWORD not in str(raised.value)
    garbled = {"OPA_COMPLY_REMEDIATION_PG_DSN": f"password={REMEDIATOR_PASSWORD} = broken"}
    with pytest.raises(InputError, match="not a connection URI") as bad:
        connect(OPTIONS, garbled, DATABASE, COLLECTOR_USERS)
    assert REMEDIATOR_PASSWORD not in str(bad.value)


def test_psycopg2_errors_during_a_fix_are_one_line(cluster: Cluster, tmp_path: Path) -> None:
    resource = resource_of(collect(cluster, tmp_path)[1], f"{server(cluster)}/{DATABASE}/sales")
    connection = connect(OPTIONS, remediator_environ(cluster), DATABASE, COLLECTOR_USERS)
    connection.close()
    with pytest.raises(EngineError, match=r"PG-PRIV-001 read .*/shop/sales: ") as raised:
        _fixer("PG-PRIV-001").read(connection, resource)
    assert "\n" not in str(raised.value)
