"""Connections that cannot write, wait or run long, and errors turned into coverage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg2
from psycopg2 import errorcodes, extensions, sql

from collectors.postgres.dsn import Target
from collectors.postgres.options import PostgresOptions

APPLICATION_NAME = "opa-comply-collect"
T = TypeVar("T")


class ConnectionLost(Exception):
    """The server went away mid-collection (terminated backend, restart, network)."""


def connect(target: Target, dsn: str, options: PostgresOptions) -> Any:
    """A read-only, repeatable-read session with statement and lock timeouts."""
    settings = (
        f"-c default_transaction_read_only=on -c statement_timeout={options.statement_timeout_ms}"
        f" -c lock_timeout={options.lock_timeout_ms}"
        f" -c idle_in_transaction_session_timeout={options.statement_timeout_ms * 4}"
    )
    connection = psycopg2.connect(
        dsn,
        connect_timeout=options.connect_timeout,
        application_name=APPLICATION_NAME,
        options=settings,
    )
    connection.set_session(
        isolation_level=extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True
    )
    return connection


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
