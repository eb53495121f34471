"""PG-PRIV-001: CREATE on a schema granted to PUBLIC."""

from __future__ import annotations

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

_EXISTS = "SELECT 1 FROM pg_namespace WHERE nspname = %(schema)s"

# Who granted PUBLIC its CREATE: a grant is revoked by (and recorded under) its grantor.
_PUBLIC_CREATE_GRANTORS = """
SELECT DISTINCT pg_get_userbyid(x.grantor)
FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x
WHERE n.nspname = %(schema)s AND x.grantee = 0 AND x.privilege_type = 'CREATE'
ORDER BY 1
"""

# Login roles that can create in the schema only through PUBLIC: not superusers, not
# members of the owner, not this session's own role, no CREATE granted to them or to a
# role they inherit from.
_RELYING_ROLES = """
SELECT r.rolname
FROM pg_roles r, pg_namespace n
WHERE n.nspname = %(schema)s AND r.rolcanlogin AND NOT r.rolsuper AND r.rolname <> session_user
  AND NOT pg_has_role(r.oid, n.nspowner, 'USAGE')
  AND NOT EXISTS (
    SELECT 1 FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x
    WHERE x.grantee <> 0 AND x.privilege_type = 'CREATE'
      AND pg_has_role(r.oid, x.grantee, 'USAGE'))
ORDER BY r.rolname
"""


class SchemaPublicCreate(PostgresFixer):
    """The value is the sorted list of roles that granted PUBLIC CREATE on the schema
    (empty: PUBLIC cannot create there). The fix revokes each grant as its grantor, and
    a rollback grants it back as the same grantor, so the ACL reads as before."""

    check_id: ClassVar[str] = "PG-PRIV-001"
    resource_types: ClassVar[tuple[str, ...]] = ("postgresql_schema",)
    actions: ClassVar[tuple[str, ...]] = (
        "membership in the schema's owner (for the public schema of PostgreSQL 15 and"
        " later, owned by pg_database_owner: membership in the database's owner), or in"
        " whichever role granted CREATE to PUBLIC",
    )

    def read(self, target: Any, resource: dict[str, Any]) -> list[str]:
        schema = attribute(resource, "name")
        with database_errors(self.check_id, resource, "read"):
            same_database(target, resource)
            if not rows(target, _EXISTS, {"schema": schema}):
                raise EngineError(f"{resource.get('address', '?')}: schema no longer exists")
            return [str(g) for (g,) in rows(target, _PUBLIC_CREATE_GRANTORS, {"schema": schema})]

    def desired(self, resource: dict[str, Any], current: Any) -> list[str]:
        return []

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        wanted = _grantors(resource, value)
        schema = sql.Identifier(attribute(resource, "name"))
        now = set(self.read(target, resource))
        with database_errors(self.check_id, resource, "write"):
            for grantor in sorted(now - wanted):
                with acting_as(target, grantor):
                    execute(
                        target, sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema)
                    )
            for grantor in sorted(wanted - now):
                with acting_as(target, grantor):
                    execute(target, sql.SQL("GRANT CREATE ON SCHEMA {} TO PUBLIC").format(schema))
        after = self.read(target, resource)
        if set(after) != wanted:
            raise EngineError(
                f"{resource.get('address', '?')}: PUBLIC's CREATE is granted by"
                f" {after or 'nobody'} after the change, not {sorted(wanted) or 'nobody'}"
            )

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        name = f"{attribute(resource, 'database')}.{attribute(resource, 'name')}"
        schema = attribute(resource, "name")
        if proposed:
            summary = f"Grant CREATE on schema {name} to PUBLIC again (as {', '.join(proposed)})"
            radius: tuple[str, ...] = (
                f"every role of the cluster can create tables, views and functions in"
                f" schema {name} again (the CVE-2018-1058 search_path risk returns)",
            )
        else:
            summary = f"Revoke CREATE on schema {name} from PUBLIC"
            radius = (
                f"roles with no CREATE of their own on schema {name} (not its owner, not"
                f" granted it) can no longer create tables, views, functions or types in it",
                f"objects already in schema {name} stay and keep working; migrations or"
                f" ORMs that create objects there as such a role fail until it is granted"
                f" CREATE ON SCHEMA {sql_name(schema)}",
            )
        return Change(
            summary=summary,
            setting=f"CREATE ON SCHEMA {sql_name(schema)} TO PUBLIC (granted by)",
            current=current,
            proposed=proposed,
            blast_radius=radius,
        )

    def affected(self, target: Any, resource: dict[str, Any]) -> tuple[str, ...]:
        schema = attribute(resource, "name")
        with database_errors(self.check_id, resource, "read"):
            relying = [str(r) for (r,) in rows(target, _RELYING_ROLES, {"schema": schema})]
        if not relying:
            return ("no login role relies on PUBLIC's CREATE on this schema",)
        return (
            f"{len(relying)} login role(s) can create in schema {schema} only through"
            f" PUBLIC and lose it: {role_list(relying)}",
        )


def _grantors(resource: dict[str, Any], value: Any) -> set[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(
            f"{resource.get('address', '?')}: PG-PRIV-001 value must be a list of grantor"
            " role names"
        )
    return set(value)
