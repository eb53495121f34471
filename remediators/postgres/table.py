"""PG-PRIV-002: privileges granted to PUBLIC on a classified table, table-wide or on
columns (the check counts a column grant as a grant on the table)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from psycopg2 import sql

from compliance_opa.errors import EngineError, InputError
from remediators.base import Change
from remediators.postgres.session import (
    PostgresFixer,
    acting_as,
    attribute,
    database_errors,
    execute,
    role_list,
    rows,
    same_database,
    sql_name,
)

# The privileges GRANT takes on a table and on a column; the value may name no other.
TABLE_PRIVILEGES = frozenset(
    {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"}
)
COLUMN_PRIVILEGES = frozenset({"SELECT", "INSERT", "UPDATE", "REFERENCES"})

_TABLE = """
SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relname = %(table)s AND c.relkind IN ('r', 'p')
"""

# Every privilege PUBLIC holds on the table or one of its columns, with its grantor.
_PUBLIC_GRANTS = """
SELECT x.privilege_type, NULL::text, pg_get_userbyid(x.grantor)
FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) x
WHERE c.oid = %(oid)s AND x.grantee = 0
UNION ALL
SELECT x.privilege_type, a.attname::text, pg_get_userbyid(x.grantor)
FROM pg_attribute a, aclexplode(a.attacl) x
WHERE a.attrelid = %(oid)s AND a.attnum > 0 AND NOT a.attisdropped AND x.grantee = 0
"""

# Login roles that reach the table only through PUBLIC: not superusers, not members of
# the owner, not this session's own role, and no privilege (table or column) granted to
# them or to a role they inherit.
_RELYING_ROLES = """
SELECT r.rolname
FROM pg_roles r, pg_class c
WHERE c.oid = %(oid)s AND r.rolcanlogin AND NOT r.rolsuper AND r.rolname <> session_user
  AND NOT pg_has_role(r.oid, c.relowner, 'USAGE')
  AND NOT EXISTS (
    SELECT 1 FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) x
    WHERE x.grantee <> 0 AND pg_has_role(r.oid, x.grantee, 'USAGE'))
  AND NOT EXISTS (
    SELECT 1 FROM pg_attribute a, aclexplode(a.attacl) x
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      AND x.grantee <> 0 AND pg_has_role(r.oid, x.grantee, 'USAGE'))
ORDER BY r.rolname
"""

Grant = tuple[str, str | None, str]  # privilege, column (None: the whole table), grantor


class TablePublicPrivileges(PostgresFixer):
    """The value is the exact list of PUBLIC's grants on the table, each
    {"privilege", "column" (null for the whole table), "grantor"}, sorted. The fix
    revokes them all, each as its grantor; a rollback grants exactly those back."""

    check_id: ClassVar[str] = "PG-PRIV-002"
    resource_types: ClassVar[tuple[str, ...]] = ("postgresql_table",)
    actions: ClassVar[tuple[str, ...]] = (
        "membership in the table's owner, or in whichever role granted the privileges to"
        " PUBLIC (that role needs USAGE on the table's schema, as owners normally have)",
    )

    def read(self, target: Any, resource: dict[str, Any]) -> list[dict[str, Any]]:
        with database_errors(self.check_id, resource, "read"):
            oid = self._oid(target, resource)
            return _as_value(_public_grants(target, oid))

    def desired(self, resource: dict[str, Any], current: Any) -> list[dict[str, Any]]:
        return []

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        wanted = _grants(resource, value)
        table = sql.SQL("{}.{}").format(
            sql.Identifier(attribute(resource, "schema")),
            sql.Identifier(attribute(resource, "name")),
        )
        with database_errors(self.check_id, resource, "write"):
            oid = self._oid(target, resource)
            # Revoking a table-wide privilege also revokes it on every column: read again
            # before granting, so whatever must stay is granted back.
            for grantor, grants in _by_grantor(_public_grants(target, oid) - wanted):
                with acting_as(target, grantor):
                    for privilege, column in grants:
                        execute(target, _statement("REVOKE", privilege, column, table))
            for grantor, grants in _by_grantor(wanted - _public_grants(target, oid)):
                with acting_as(target, grantor):
                    for privilege, column in grants:
                        execute(target, _statement("GRANT", privilege, column, table))
            after = _public_grants(target, oid)
        if after != wanted:
            raise EngineError(
                f"{resource.get('address', '?')}: PUBLIC holds {_as_value(after)} after the"
                f" change, not {_as_value(wanted)}"
            )

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        name = _display(resource)
        if proposed:
            shown = _privileges_text(_grants(resource, proposed))
            summary = f"Grant {shown} on table {name} to PUBLIC again"
            radius: tuple[str, ...] = (
                f"every role of the cluster, present and future, gets {shown} on table"
                f" {name} again",
            )
        else:
            shown = _privileges_text(_grants(resource, current)) if current else "nothing"
            summary = f"Revoke {shown} on table {name} from PUBLIC"
            radius = (
                f"roles with no privilege of their own on table {name} (not its owner, not"
                f" granted any) lose {shown}: their queries on it fail with permission"
                " denied",
                f"views and functions owned by such roles that use table {name} fail too;"
                " roles granted privileges by name, and the owner, keep them",
            )
        return Change(
            summary=summary,
            setting=f"privileges ON TABLE {_sql_table(resource)} TO PUBLIC",
            current=current,
            proposed=proposed,
            blast_radius=radius,
        )

    def affected(self, target: Any, resource: dict[str, Any]) -> tuple[str, ...]:
        with database_errors(self.check_id, resource, "read"):
            oid = self._oid(target, resource)
            relying = [str(r) for (r,) in rows(target, _RELYING_ROLES, {"oid": oid})]
        if not relying:
            return ("no login role reaches this table only through PUBLIC",)
        return (
            f"{len(relying)} login role(s) reach table {_display(resource)} only through"
            f" PUBLIC and lose access: {role_list(relying)}",
        )

    def _oid(self, target: Any, resource: dict[str, Any]) -> int:
        same_database(target, resource)
        params = {"schema": attribute(resource, "schema"), "table": attribute(resource, "name")}
        found = rows(target, _TABLE, params)
        if not found:
            raise EngineError(f"{resource.get('address', '?')}: table no longer exists")
        return int(found[0][0])


def _public_grants(target: Any, oid: int) -> set[Grant]:
    return {
        (str(privilege), None if column is None else str(column), str(grantor))
        for privilege, column, grantor in rows(target, _PUBLIC_GRANTS, {"oid": oid})
    }


def _as_value(grants: Iterable[Grant]) -> list[dict[str, Any]]:
    ordered = sorted(grants, key=lambda g: (g[1] is not None, g[1] or "", g[0], g[2]))
    return [{"privilege": p, "column": c, "grantor": g} for p, c, g in ordered]


def _grants(resource: dict[str, Any], value: Any) -> set[Grant]:
    """The value back as grants, every privilege checked against GRANT's own words."""
    where = f"{resource.get('address', '?')}: PG-PRIV-002 value"
    if not isinstance(value, list):
        raise InputError(f"{where} must be a list of grants")
    grants: set[Grant] = set()
    for item in value:
        if not isinstance(item, dict) or set(item) != {"privilege", "column", "grantor"}:
            raise InputError(f"{where}: each grant has exactly privilege, column and grantor")
        privilege, column, grantor = item["privilege"], item["column"], item["grantor"]
        allowed = TABLE_PRIVILEGES if column is None else COLUMN_PRIVILEGES
        if privilege not in allowed:
            raise InputError(f"{where}: {privilege!r} is not a privilege GRANT takes here")
        if column is not None and (not isinstance(column, str) or not column):
            raise InputError(f"{where}: a column is a name or null")
        if not isinstance(grantor, str) or not grantor:
            raise InputError(f"{where}: a grantor is a role name")
        grants.add((privilege, column, grantor))
    return grants


def _by_grantor(grants: set[Grant]) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Table-wide grants before column grants, so a revoke's cascade comes first."""
    grouped: dict[str, list[tuple[str, str | None]]] = {}
    for privilege, column, grantor in sorted(
        grants, key=lambda g: (g[2], g[1] is not None, g[1] or "", g[0])
    ):
        grouped.setdefault(grantor, []).append((privilege, column))
    return sorted(grouped.items())


def _statement(
    verb: str, privilege: str, column: str | None, table: sql.Composable
) -> sql.Composed:
    # The privilege is one of GRANT's keywords (checked in _grants or read from the
    # catalog's own aclexplode); names are identifiers.
    if privilege not in TABLE_PRIVILEGES:
        raise EngineError(f"{privilege!r} is not a table privilege")
    on = sql.SQL(privilege)
    if column is not None:
        on = sql.SQL("{} ({})").format(on, sql.Identifier(column))
    direction = sql.SQL("TO") if verb == "GRANT" else sql.SQL("FROM")
    return sql.SQL("{verb} {on} ON TABLE {table} {direction} PUBLIC").format(
        verb=sql.SQL(verb), on=on, table=table, direction=direction
    )


def _privileges_text(grants: set[Grant]) -> str:
    whole = sorted({p for p, c, _ in grants if c is None})
    columns: dict[str, list[str]] = {}
    for privilege, column, _ in grants:
        if column is not None:
            columns.setdefault(privilege, []).append(column)
    parts = whole + [
        f"{p} ({', '.join(sql_name(c) for c in sorted(cs))})" for p, cs in sorted(columns.items())
    ]
    return ", ".join(parts) or "nothing"


def _display(resource: dict[str, Any]) -> str:
    database = attribute(resource, "database")
    return f"{database}.{attribute(resource, 'schema')}.{attribute(resource, 'name')}"


def _sql_table(resource: dict[str, Any]) -> str:
    return f"{sql_name(attribute(resource, 'schema'))}.{sql_name(attribute(resource, 'name'))}"
