"""Server-wide objects: version and settings, pg_hba.conf rules, roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from collectors.postgres import queries
from collectors.postgres.dsn import Target
from collectors.postgres.model import resource
from collectors.postgres.options import PostgresOptions
from collectors.postgres.session import apply_limits, describe, is_denied, optional, rows
from collectors.snapshot import Source

# Settings that can carry a connection string with a password (superusers see them).
_SECRET_SETTINGS = ("primary_conninfo",)


@dataclass
class ServerPart:
    resources: list[dict[str, Any]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


def collect_server(connection: Any, target: Target, options: PostgresOptions) -> ServerPart:
    """Server-wide objects; `connection` has no session settings of ours yet, so the
    settings read first are the server's own. The limits are applied right after."""
    part = ServerPart()
    server = target.server
    settings = {
        str(name): str(value) if value is not None else ""
        for name, value in rows(connection, queries.SETTINGS)
        if name not in _SECRET_SETTINGS
    }
    all_visible = bool(rows(connection, queries.READS_ALL_SETTINGS)[0][0])
    version_number = int(rows(connection, queries.SERVER_VERSION_NUM)[0][0])
    apply_limits(connection, options)
    version = str(rows(connection, queries.SERVER_VERSION)[0][0])
    if not all_visible:
        detail = "some settings are hidden from this role (grant it pg_read_all_settings)"
        part.sources.append(Source("postgresql", f"{server}/settings", "partial", detail))
    name = f"{target.host}:{target.port}"
    attributes = {"server_version": version, "settings": settings}
    part.resources.append(resource("postgresql_server", server, name, attributes))
    _hba(connection, target, part, version_number)
    _roles(connection, target, part)
    return part


def _hba(connection: Any, target: Target, part: ServerPart, version_number: int) -> None:
    scope = f"{target.server}/hba"
    # From PostgreSQL 16, rules can come from included files: order by rule_number, and
    # name a rule by file and line.
    query = queries.HBA_RULES_16 if version_number >= 160000 else queries.HBA_RULES
    found, error = optional(connection, lambda: rows(connection, query))
    if error is not None:
        status = "denied" if is_denied(error) else "failed"
        detail = f"pg_hba_file_rules: {describe(error)} (readable by superusers only)"
        part.sources.append(Source("postgresql", scope, status, detail))
        return
    unreadable = 0
    for line, file_name, kind, databases, users, address, netmask, method, options, error_text in (
        found or []
    ):
        if error_text:  # a line the server could not parse is not in force
            unreadable += 1
            continue
        attributes = {
            "line_number": line,
            "connection_type": kind,
            "databases": list(databases or []),
            "user_names": list(users or []),
            "address": address,
            "netmask": netmask,
            "auth_method": method,
            "options": list(options) if options is not None else None,
        }
        where = f"{line}" if not file_name else f"{file_name}:{line}"
        address_text = f"{target.server}/hba/{where}"
        part.resources.append(
            resource("postgresql_hba_rule", address_text, f"pg_hba.conf:{line}", attributes)
        )
    if unreadable:
        detail = f"{unreadable} pg_hba.conf line(s) have errors and are ignored by the server"
        part.sources.append(Source("postgresql", scope, "partial", detail))
    else:
        part.sources.append(Source("postgresql", scope, "complete"))


def _roles(connection: Any, target: Target, part: ServerPart) -> None:
    scope = f"{target.server}/roles"
    passwords, error = optional(connection, lambda: dict(rows(connection, queries.PASSWORD_SET)))
    for (
        name,
        superuser,
        login,
        create_role,
        create_db,
        replication,
        bypass,
        limit,
        valid,
        member_of,
    ) in rows(connection, queries.ROLES):
        attributes: dict[str, Any] = {
            "rolname": name,
            "superuser": superuser,
            "can_login": login,
            "create_role": create_role,
            "create_db": create_db,
            "replication": replication,
            "bypass_rls": bypass,
            "connection_limit": limit,
            "valid_until": valid,
            "member_of": list(member_of),
        }
        if passwords is not None:
            attributes["password_set"] = bool(passwords.get(name, False))
        part.resources.append(
            resource("postgresql_role", f"{target.server}?role={name}", name, attributes)
        )
    if error is not None:
        detail = f"pg_authid: {describe(error)}: password_set left out"
        part.sources.append(Source("postgresql", scope, "partial", detail))
    else:
        part.sources.append(Source("postgresql", scope, "complete"))
