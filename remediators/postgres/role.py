"""PG-ROLE-002: a login role whose password never expires gets a VALID UNTIL date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from psycopg2 import sql

from compliance_opa.errors import EngineError, InputError
from remediators.base import Change
from remediators.postgres.session import (
    PostgresFixer,
    attribute,
    database_errors,
    execute,
    rows,
    sql_name,
)

# credential_max_age_days in policies/config/data.json: the expiry the check asks for.
DEFAULT_DAYS = 90

# rolvaliduntil as text that reads back to the same instant: microseconds, in UTC.
_VALID_UNTIL = """
SELECT CASE WHEN rolvaliduntil IS NULL THEN NULL
            WHEN rolvaliduntil = 'infinity' THEN 'infinity'
            WHEN rolvaliduntil = '-infinity' THEN '-infinity'
            ELSE to_char(rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
       END
FROM pg_roles WHERE rolname = %(role)s
"""

_SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE usename = %(role)s"

_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$")


class RolePasswordExpiry(PostgresFixer):
    """The value is rolvaliduntil: None (never set), "infinity", "-infinity", or an
    instant as "YYYY-MM-DDTHH:MM:SS.ffffffZ". ALTER ROLE cannot store NULL again, so a
    rollback of None writes 'infinity', which means the same (never expires)."""

    check_id: ClassVar[str] = "PG-ROLE-002"
    resource_types: ClassVar[tuple[str, ...]] = ("postgresql_role",)
    actions: ClassVar[tuple[str, ...]] = (
        "CREATEROLE (ALTER ROLE ... VALID UNTIL on roles other than itself; superuser roles"
        " cannot be changed this way)",
    )

    def __init__(self, days: int = DEFAULT_DAYS) -> None:
        if days < 1:
            raise InputError("PG-ROLE-002: the expiry must be at least 1 day ahead")
        self.days = days

    def read(self, target: Any, resource: dict[str, Any]) -> str | None:
        role = attribute(resource, "rolname")
        with database_errors(self.check_id, resource, "read"):
            found = rows(target, _VALID_UNTIL, {"role": role})
        if not found:
            raise EngineError(f"{resource.get('address', '?')}: role no longer exists")
        value = found[0][0]
        return None if value is None else str(value)

    def desired(self, resource: dict[str, Any], current: Any) -> str | None:
        if isinstance(current, str) and current != "infinity":
            return current  # it expires already: nothing to change
        day = datetime.now(UTC).date() + timedelta(days=self.days)
        return f"{day.isoformat()}T00:00:00.000000Z"

    def restored(self, before: Any, now: Any) -> bool:
        # Never set (NULL) cannot be written again; 'infinity' means the same.
        return bool((before or "infinity") == (now or "infinity"))

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        role = attribute(resource, "rolname")
        if value is not None and not (
            value in ("infinity", "-infinity")
            or (isinstance(value, str) and _TIMESTAMP.match(value))
        ):
            raise InputError(
                f"{resource.get('address', '?')}: PG-ROLE-002 value must be null, 'infinity',"
                " '-infinity' or YYYY-MM-DDTHH:MM:SS.ffffffZ"
            )
        written = "infinity" if value is None else str(value)
        with database_errors(self.check_id, resource, "write"):
            execute(
                target,
                sql.SQL("ALTER ROLE {} VALID UNTIL {}").format(
                    sql.Identifier(role), sql.Literal(written)
                ),
            )
        after = self.read(target, resource)
        if after != written:
            raise EngineError(
                f"{resource.get('address', '?')}: valid until reads {after!r} after the"
                f" change, not {written!r}"
            )

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        role = attribute(resource, "rolname")
        if proposed is None or proposed == "infinity":
            summary = f"Let the password of role {role} never expire again (VALID UNTIL 'infinity')"
            radius: tuple[str, ...] = (f"role {role}'s password no longer expires",)
            if proposed is None:
                radius += (
                    "rolvaliduntil was never set (NULL); ALTER ROLE cannot store NULL, so it"
                    " becomes 'infinity', which means the same",
                )
        else:
            summary = f"Set the password of role {role} to expire at {proposed}"
            radius = (
                f"logins as {role} with its password fail after {proposed} unless the"
                f" password is changed first (ALTER ROLE {sql_name(role)} PASSWORD ..."
                " VALID UNTIL ...)",
                f"sessions of {role} open at that moment stay open; VALID UNTIL does not"
                " touch certificate, peer or other non-password logins",
            )
        return Change(
            summary=summary,
            setting=f"ALTER ROLE {sql_name(role)} VALID UNTIL",
            current=current,
            proposed=proposed,
            blast_radius=radius,
        )

    def affected(self, target: Any, resource: dict[str, Any]) -> tuple[str, ...]:
        role = attribute(resource, "rolname")
        with database_errors(self.check_id, resource, "read"):
            (count,) = rows(target, _SESSIONS, {"role": role})[0]
        return (f"{count} session(s) of role {role} are open now",)
