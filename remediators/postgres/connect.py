"""The remediation session: its own DSN (never the collector's), its own role (never a
superuser), statement and lock timeouts from the start, and writes left uncommitted."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg2
from psycopg2.extensions import make_dsn, parse_dsn

from compliance_opa.errors import EngineError, InputError

APPLICATION_NAME = "opa-comply-remediate"


@dataclass(frozen=True)
class PostgresRemediationOptions:
    """The config's `remediation.postgres` section: where the DSN is, how long to wait."""

    dsn_env: str = "OPA_COMPLY_REMEDIATION_PG_DSN"  # the variable holding the DSN
    connect_timeout: int = 10  # seconds
    statement_timeout_ms: int = 30_000
    lock_timeout_ms: int = 5_000  # a fix waits this long for a busy table, then fails


# Roles the session user can become (or inherits) that are superusers: fail closed on any.
_SUPERUSER_REACH = """
SELECT r.rolname FROM pg_roles r
WHERE r.rolsuper AND pg_has_role(session_user, r.oid, 'MEMBER')
ORDER BY r.rolname
"""


def connect(
    options: PostgresRemediationOptions,
    environ: Mapping[str, str],
    database: str,
    collector_users: set[str],
) -> Any:
    """A read-write connection to `database` as the remediation role, in a transaction
    the caller commits or rolls back."""
    dsn = environ.get(options.dsn_env, "")
    if not dsn.strip():
        raise InputError(
            f"{options.dsn_env} is not set: it must hold the remediation role's DSN"
            " (remediation.postgres.dsn_env names the variable)"
        )
    try:
        params = {k: str(v) for k, v in parse_dsn(dsn).items()}
    except psycopg2.ProgrammingError:
        # libpq's message can quote the string, password included: say where, not what.
        raise InputError(
            f"{options.dsn_env}: not a connection URI (postgresql://...) or key=value string"
        ) from None
    user = params.get("user")
    if user is not None and user in collector_users:
        raise InputError(
            f"{options.dsn_env}: user {user!r} is the collector's; remediation needs its own"
            " role (remediators/postgres/role.sql)"
        )
    password = params.get("password", "")
    startup = (
        f"-c statement_timeout={int(options.statement_timeout_ms)}"
        f" -c lock_timeout={int(options.lock_timeout_ms)}"
        f" -c idle_in_transaction_session_timeout={int(options.statement_timeout_ms) * 4}"
    )
    try:
        connection = psycopg2.connect(
            make_dsn(dsn, dbname=database),
            connect_timeout=options.connect_timeout,
            application_name=APPLICATION_NAME,
            options=startup,
        )
    except psycopg2.Error as exc:
        raise EngineError(
            f"{options.dsn_env}: cannot connect to database {database!r}: "
            + _masked(_first_line(exc), password, dsn)
        ) from None
    try:
        _refuse_wrong_role(connection, options, collector_users)
    except BaseException:
        connection.close()
        raise
    return connection


def _refuse_wrong_role(
    connection: Any, options: PostgresRemediationOptions, collector_users: set[str]
) -> None:
    """The user libpq logged in as (PGUSER, the OS user) is checked too, not only the DSN's."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT session_user")
            (session_user,) = cursor.fetchone()
            cursor.execute(_SUPERUSER_REACH)
            superusers = [str(name) for (name,) in cursor.fetchall()]
        connection.rollback()
    except psycopg2.Error as exc:
        message = f"{options.dsn_env}: cannot read the session's role: {_first_line(exc)}"
        raise EngineError(message) from None
    if session_user in collector_users:
        raise InputError(
            f"{options.dsn_env}: user {session_user!r} is the collector's; remediation needs"
            " its own role (remediators/postgres/role.sql)"
        )
    if session_user in superusers:
        raise InputError(
            f"{options.dsn_env}: user {session_user!r} is a superuser; remediation refuses"
            " superuser sessions: use the role of remediators/postgres/role.sql"
        )
    if superusers:
        raise InputError(
            f"{options.dsn_env}: user {session_user!r} is a member of the superuser role(s)"
            f" {', '.join(repr(s) for s in superusers)}; remediation refuses sessions that"
            " can become superuser: use the role of remediators/postgres/role.sql"
        )


def _first_line(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    lines = str(exc).strip().splitlines()
    return " ".join(str(primary or (lines[0] if lines else type(exc).__name__)).split())


def _masked(text: str, password: str, dsn: str) -> str:
    """libpq's words with the DSN and its password taken out (they can quote either)."""
    text = text.replace(dsn, "<dsn>")
    if password:
        text = text.replace(password, "****")
    return re.sub(r"(password\s*=\s*)\S+", r"\1****", text)
