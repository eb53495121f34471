"""The PostgreSQL fixers without a server: desired values, the change shown for approval,
values refused before any SQL, and the remediation options."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
import pytest

from compliance_opa.config.remediation import POSTGRES_SECTION_SCHEMA as POSTGRES_REMEDIATION_SCHEMA
from compliance_opa.errors import InputError
from remediators.postgres import (
    FIXERS,
    RolePasswordExpiry,
    SchemaPublicCreate,
    TablePublicPrivileges,
)
from remediators.postgres.connect import (
    PostgresRemediationOptions,
    connect,
)

SERVER = "postgresql://db.internal:5432"
SCHEMA = {
    "address": f"{SERVER}/shop/sales",
    "type": "postgresql_schema",
    "attributes": {"database": "shop", "name": "sales"},
}
TABLE = {
    "address": f"{SERVER}/shop/public/patients",
    "type": "postgresql_table",
    "attributes": {"database": "shop", "schema": "public", "name": "patients"},
}
ROLE = {
    "address": f"{SERVER}?role=app_reader",
    "type": "postgresql_role",
    "attributes": {"rolname": "app_reader"},
}
GRANTS = [
    {"privilege": "SELECT", "column": None, "grantor": "shop_owner"},
    {"privilege": "UPDATE", "column": 'e"mail', "grantor": "team_lead"},
]


def test_the_fixers_cover_their_checks_and_types() -> None:
    assert {(f.check_id, f.resource_types) for f in FIXERS} == {
        ("PG-PRIV-001", ("postgresql_schema",)),
        ("PG-PRIV-002", ("postgresql_table",)),
        ("PG-ROLE-002", ("postgresql_role",)),
    }
    assert all(f.platform == "postgres" for f in FIXERS)
    assert all(f.actions and all(a.strip() for a in f.actions) for f in FIXERS)


def test_public_loses_create_on_the_schema() -> None:
    fixer = SchemaPublicCreate()
    assert fixer.desired(SCHEMA, ["shop_owner"]) == []
    change = fixer.describe(SCHEMA, ["shop_owner"], [])
    assert change.summary == "Revoke CREATE on schema shop.sales from PUBLIC"
    assert change.setting == 'CREATE ON SCHEMA "sales" TO PUBLIC (granted by)'
    assert (change.current, change.proposed, change.impact) == (["shop_owner"], [], "resource")
    assert any("can no longer create" in line for line in change.blast_radius)
    back = fixer.describe(SCHEMA, [], ["shop_owner"])
    assert back.summary == "Grant CREATE on schema shop.sales to PUBLIC again (as shop_owner)"


def test_public_loses_every_privilege_on_the_table() -> None:
    fixer = TablePublicPrivileges()
    assert fixer.desired(TABLE, GRANTS) == []
    change = fixer.describe(TABLE, GRANTS, [])
    assert (
        change.summary
        == 'Revoke SELECT, UPDATE ("e""mail") on table shop.public.patients from PUBLIC'
    )
    assert change.setting == 'privileges ON TABLE "public"."patients" TO PUBLIC'
    assert any("permission denied" in line for line in change.blast_radius)
    back = fixer.describe(TABLE, [], GRANTS)
    assert back.summary.startswith('Grant SELECT, UPDATE ("e""mail") on table shop.public.patients')


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("SELECT", "must be a list of grants"),
        ([{"privilege": "SELECT", "column": None}], "exactly privilege, column and grantor"),
        ([{"privilege": "ALL", "column": None, "grantor": "o"}], "not a privilege GRANT takes"),
        ([{"privilege": "DELETE", "column": "c", "grantor": "o"}], "not a privilege GRANT takes"),
        ([{"privilege": "select", "column": None, "grantor": "o"}], "not a privilege GRANT takes"),
        ([{"privilege": "SELECT", "column": 3, "grantor": "o"}], "a column is a name or null"),
        ([{"privilege": "SELECT", "column": None, "grantor": ""}], "a grantor is a role name"),
    ],
)
def test_a_table_value_of_the_wrong_shape_is_refused_before_any_sql(
    value: Any, message: str
) -> None:
    # No connection at all: the value is checked before the target is touched.
    with pytest.raises(InputError, match=message):
        TablePublicPrivileges().write(None, TABLE, value)


@pytest.mark.parametrize("value", ["shop_owner", [""], [None], {"a": 1}])
def test_a_schema_value_of_the_wrong_shape_is_refused(value: Any) -> None:
    with pytest.raises(InputError, match="list of grantor role names"):
        SchemaPublicCreate().write(None, SCHEMA, value)


def test_a_role_gets_an_expiry_the_days_ahead_unless_it_has_one() -> None:
    day = datetime.now(UTC).date() + timedelta(days=90)
    expected = f"{day.isoformat()}T00:00:00.000000Z"
    fixer = RolePasswordExpiry()
    assert fixer.desired(ROLE, None) == expected
    assert fixer.desired(ROLE, "infinity") == expected
    assert fixer.desired(ROLE, "2027-01-01T00:00:00.000000Z") == "2027-01-01T00:00:00.000000Z"
    assert fixer.desired(ROLE, "-infinity") == "-infinity"
    change = fixer.describe(ROLE, None, expected)
    assert change.summary == f"Set the password of role app_reader to expire at {expected}"
    assert change.setting == 'ALTER ROLE "app_reader" VALID UNTIL'
    assert any("fail after" in line for line in change.blast_radius)
    back = fixer.describe(ROLE, expected, None)
    assert any("becomes 'infinity'" in line for line in back.blast_radius)
    with pytest.raises(InputError, match="at least 1 day"):
        RolePasswordExpiry(days=0)


@pytest.mark.parametrize(
    "value", ["2030-01-01", "2030-01-01T00:00:00Z'; DROP ROLE x; --", "never", 5, "Infinity"]
)
def test_a_role_value_of_the_wrong_shape_is_refused(value: Any) -> None:
    with pytest.raises(InputError, match="must be null, 'infinity'"):
        RolePasswordExpiry().write(None, ROLE, value)


def test_a_resource_without_the_names_is_refused_in_one_line() -> None:
    broken = {"address": "x", "attributes": {"database": "shop", "name": ""}}
    with pytest.raises(InputError, match="x: attribute 'name' is missing or not text"):
        SchemaPublicCreate().describe(broken, [], [])
    with pytest.raises(InputError, match="attribute 'rolname'"):
        RolePasswordExpiry().describe({"address": "r", "attributes": None}, None, "infinity")


def test_the_config_section_schema() -> None:
    jsonschema.validate({}, POSTGRES_REMEDIATION_SCHEMA)
    jsonschema.validate(
        {"dsn_env": "FIX_DSN", "connect_timeout": 5, "statement_timeout_ms": 1000,
         "lock_timeout_ms": 100},
        POSTGRES_REMEDIATION_SCHEMA,
    )  # fmt: skip
    for bad in (
        {"dsn": "postgresql://u:p@h/d"},  # the DSN itself never goes in the config
        {"dsn_env": "NOT A NAME"},
        {"connect_timeout": 0},
        {"lock_timeout_ms": "5s"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, POSTGRES_REMEDIATION_SCHEMA)
    assert PostgresRemediationOptions().dsn_env == "OPA_COMPLY_REMEDIATION_PG_DSN"


def test_connect_refuses_before_connecting() -> None:
    options = PostgresRemediationOptions(dsn_env="FIX_DSN")
    with pytest.raises(InputError, match="FIX_DSN is not set"):
        connect(options, {"FIX_DSN": "  "}, "shop", set())
    # Port 1 on loopback: a refusal here proves no connection was tried.
    dsn = "host=127.0.0.1 port=1 user=collector password=hunter2-secret"
    with pytest.raises(InputError, match="'collector' is the collector's") as raised:
        connect(options, {"FIX_DSN": dsn}, "shop", {"collector"})
    assert "hunter2" not in str(raised.value)
    with pytest.raises(InputError, match="FIX_DSN: not a connection URI") as bad:
        connect(options, {"FIX_DSN": "password=hunter2-secret = oops"}, "shop", set())
    assert "hunter2" not in str(bad.value)
