"""Connections that cannot write, wait or run long, and errors turned into coverage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg2
from psycopg2 import errorcodes, extensions, sql

from collectors.postgres.options import PostgresOptions

APPLICATION_NAME = "opa-comply-collect"
T = TypeVar("T")


class ConnectionLost(Exception):
    """The server went away mid-collection (terminated backend, restart, network)."""


def _limits(options: PostgresOptions) -> dict[str, str]:
    return {
        "default_transaction_read_only": "on",
        "statement_timeout": str(options.statement_timeout_ms),
        "lock_timeout": str(options.lock_timeout_ms),
        "idle_in_transaction_session_timeout": str(options.statement_timeout_ms * 4),
    }


def connect(dsn: str, options: PostgresOptions, limits: bool = True) -> Any:
    """A read-only, repeatable-read session, with statement and lock timeouts from the
    start unless `limits` is False (the caller reads the server's own settings first and
    then calls apply_limits)."""
    startup = " ".join(f"-c {k}={v}" for k, v in _limits(options).items()) if limits else None
    connection = psycopg2.connect(
        dsn,
        connect_timeout=options.connect_timeout,
        application_name=APPLICATION_NAME,
        options=startup,
    )
    connection.set_session(
        isolation_level=extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True
    )
    return connection


def apply_limits(connection: Any, options: PostgresOptions) -> None:
    connection.rollback()
    with connection.cursor() as cursor:
        for name, value in _limits(options).items():
            cursor.execute("SELECT set_config(%s, %s, false)", (name, value))
    connection.commit()


def read_and_release(connection: Any, query: str | sql.Composable) -> list[tuple[Any, ...]]:
    """Read rows of a user table, then give its lock back at once: rolling back to a
    savepoint releases the locks taken after it, so no writer waits on the collector."""
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT opa_comply_read")
    try:
        return rows(connection, query)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT opa_comply_read")
            cursor.execute("RELEASE SAVEPOINT opa_comply_read")


def rows(
    connection: Any, query: str | sql.Composable, params: dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        result: list[tuple[Any, ...]] = cursor.fetchall()
        return result


@contextmanager
def savepoint(connection: Any, name: str = "opa_comply_part") -> Iterator[None]:
    """Let one query fail (say, permission denied) without aborting the whole transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"SAVEPOINT {name}")
    try:
        yield
    except psycopg2.Error as exc:
        if is_connection_lost(exc):
            raise
        with connection.cursor() as cursor:
            cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
        raise
    with connection.cursor() as cursor:
        cursor.execute(f"RELEASE SAVEPOINT {name}")


def optional(connection: Any, read: Callable[[], T]) -> tuple[T | None, psycopg2.Error | None]:
    """Run a read that the collector's role may not be allowed; (result, error)."""
    try:
        with savepoint(connection):
            return read(), None
    except psycopg2.Error as exc:
        if is_connection_lost(exc):
            raise ConnectionLost(describe(exc)) from exc
        return None, exc


def is_connection_lost(exc: BaseException) -> bool:
    if isinstance(exc, psycopg2.InterfaceError):
        return True
    code = getattr(exc, "pgcode", None)
    if isinstance(exc, psycopg2.OperationalError) and code in (None, "57P01", "57P02", "57P03"):
        return True
    return bool(code in ("57P01", "57P02", "57P03", "08000", "08003", "08006"))


def is_denied(exc: psycopg2.Error) -> bool:
    return bool(getattr(exc, "pgcode", None) == errorcodes.INSUFFICIENT_PRIVILEGE)


def describe(exc: BaseException) -> str:
    """The server's first message line; no query text, no parameters."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    lines = str(exc).strip().splitlines()
    text = primary or (lines[0] if lines else type(exc).__name__)
    return " ".join(str(text).split())
