"""What the PostgreSQL fixers share: the base class, catalog reads, acting as a grantor,
and database errors turned into one-line EngineErrors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import psycopg2
from psycopg2 import sql

from compliance_opa.errors import EngineError, InputError
from remediators.base import Fixer, Platform

# At most this many role names in one blast-radius line; the rest are counted.
SHOWN_ROLES = 20


class PostgresFixer(Fixer):
    platform: ClassVar[Platform] = "postgres"


def attribute(resource: dict[str, Any], name: str) -> str:
    """A string attribute the fixer needs, or a one-line InputError."""
    attributes = resource.get("attributes")
    value = attributes.get(name) if isinstance(attributes, dict) else None
    if not isinstance(value, str) or not value:
        raise InputError(
            f"{resource.get('address', '?')}: attribute {name!r} is missing or not text"
        )
    return value


def rows(
    target: Any, query: str | sql.Composable, params: dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    with target.cursor() as cursor:
        cursor.execute(query, params)
        found: list[tuple[Any, ...]] = cursor.fetchall()
        return found


def execute(target: Any, statement: sql.Composable) -> None:
    with target.cursor() as cursor:
        cursor.execute(statement)


def same_database(target: Any, resource: dict[str, Any]) -> None:
    """The connection must be to the resource's database: grants are per database."""
    database = attribute(resource, "database")
    (current,) = rows(target, "SELECT current_database()")[0]
    if current != database:
        raise EngineError(
            f"{resource.get('address', '?')}: connected to database {current!r},"
            f" the resource is in {database!r}"
        )


@contextmanager
def acting_as(target: Any, role: str) -> Iterator[None]:
    """Run GRANT or REVOKE as `role` (an owner or the grantor of the privilege), so the
    grant is recorded, or found, under that grantor and no other. SET LOCAL: an error
    aborts the transaction, and the caller's rollback restores the role."""
    if target.autocommit:  # SET LOCAL would do nothing: the change would run as ourselves
        raise EngineError("the remediation connection must not autocommit")
    (before,) = rows(target, "SELECT current_setting('role')")[0]
    try:
        execute(target, sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
    except psycopg2.Error as exc:
        raise EngineError(
            f"the remediation role cannot act as {role!r} ({first_line(exc)}): grant it"
            f" membership in {role!r} (for a superuser-owned object, fix it by hand)"
        ) from None
    yield
    if before == "none":
        execute(target, sql.SQL("SET LOCAL ROLE NONE"))
    else:
        execute(target, sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(str(before))))


def first_line(exc: BaseException) -> str:
    """The server's first message line; no query text, no parameters."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    lines = str(exc).strip().splitlines()
    return " ".join(str(primary or (lines[0] if lines else type(exc).__name__)).split())


@contextmanager
def database_errors(check_id: str, resource: dict[str, Any], step: str) -> Iterator[None]:
    try:
        yield
    except psycopg2.Error as exc:
        raise EngineError(
            f"{check_id} {step} {resource.get('address', '?')}: {first_line(exc)}"
        ) from None


def role_list(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_ROLES])
    more = len(names) - SHOWN_ROLES
    return shown + (f" and {more} more" if more > 0 else "")


def sql_name(name: str) -> str:
    """An identifier quoted as SQL would, for text shown to people."""
    return '"' + name.replace('"', '""') + '"'
