"""Open the state store (SQLite file or PostgreSQL URL), migrate it, and run transactions.

SQLite is the default: one file under the user's state directory. Writers take the
database's write lock for the whole transaction (BEGIN IMMEDIATE), PostgreSQL writers a
transaction-scoped advisory lock, so two runs at once serialise instead of both acting
on the same history. A store that cannot be read is an error naming it; nothing is ever
deleted or recreated behind the user's back.

A second, longer lock is per scope (`hold_scope`): a run recording a scan holds it from
reading the scope's previous scan until its own scan is complete (or failed, or the run
died), so the next run of the scope compares with it. SQLite: an exclusive record lock
on one byte of `<store>.lock` next to the file, at an offset the scope's hash chooses;
PostgreSQL: a session advisory lock keyed by the scope. Both end with the process.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import sqlite3
import stat
import struct
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote, urlsplit

from compliance_opa.errors import EngineError, InputError
from compliance_opa.state.migrations import LATEST, MIGRATIONS
from compliance_opa.support.credentials import mask_userinfo

if TYPE_CHECKING:
    import psycopg2

DEFAULT_LOCK_TIMEOUT = 60.0  # seconds a run waits for another run's transaction
_LOCK_KEY = 0x6F7061636F6D706C  # "opacompl": our advisory lock id on PostgreSQL
_SCOPE_LOCK_CLASS = 0x6F706173  # "opas": first key of a scope's advisory lock (int4)


def default_state_path() -> Path:
    """$XDG_STATE_HOME/opa-comply/state.db, i.e. ~/.local/state/opa-comply/state.db."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "opa-comply" / "state.db"


class Transaction(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def now(self) -> float: ...


@dataclass
class _Tx:
    cursor: Any
    placeholder: str
    where: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._run(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._run(sql, params)
        return [tuple(row) for row in self.cursor.fetchall()]

    def now(self) -> float:
        """Unix seconds by the store's clock: leases shared through one PostgreSQL store
        must not depend on each machine's clock."""
        if self.placeholder == "?":
            return time.time()
        return float(self.rows("SELECT EXTRACT(EPOCH FROM clock_timestamp())")[0][0])

    def _run(self, sql: str, params: Sequence[Any]) -> None:
        if self.placeholder == "?":
            self.cursor.execute(sql, tuple(params))
            return
        # Our SQL uses ? only as a placeholder, never inside a literal; without parameters
        # psycopg2 leaves the text alone (a literal % stays a %).
        self.cursor.execute(sql.replace("?", "%s"), tuple(params) if params else None)


class StateStore:
    """A migrated store. Use `transaction()` for every read and write."""

    def __init__(
        self,
        connection: Any,
        dialect: str,
        where: str,
        lock_timeout: float,
        scope_lock_path: Path | None = None,
    ):
        self._connection = connection
        self.dialect = dialect  # sqlite | postgresql
        self.where = where  # how to name the store in messages (no password)
        self._lock_timeout = lock_timeout
        self._scope_lock_path = scope_lock_path  # SQLite: the file hold_scope locks a byte of
        self._held: tuple[str, int] | None = None  # (scope, fd or advisory key)

    def close(self) -> None:
        try:
            if self._held is not None:
                self.release_scope()
        except EngineError:
            pass  # closing the connection (or the process ending) releases it anyway
        finally:
            if self._held is not None and self.dialect == "sqlite":
                os.close(self._held[1])
            self._held = None
            self._connection.close()

    def hold_scope(self, scope: str) -> None:
        """Take the scope's run lock, waiting up to the lock timeout for another run of
        the scope to complete its scan. Held until `release_scope`, `close` or the end of
        the process; taking it again for the held scope does nothing."""
        if self._held is not None:
            if self._held[0] == scope:
                return
            self.release_scope()  # one scope at a time: never two locks, never a deadlock
        busy = EngineError(
            f"state store {self.where}: scope {scope!r} is still being recorded by"
            f" another run after {self._lock_timeout:g} s"
        )
        if self.dialect == "sqlite":
            self._held = (scope, self._lock_range(scope, busy))
            return
        key = int.from_bytes(hashlib.sha256(scope.encode()).digest()[:4], "big", signed=True)
        with self._errors():
            cursor = self._connection.cursor()
            try:
                wait = f"{max(1, round(self._lock_timeout * 1000))}ms"
                cursor.execute("SET LOCAL lock_timeout = %s", (wait,))
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", (_SCOPE_LOCK_CLASS, key))
            except _pg_errors("LockNotAvailable"):
                self._connection.rollback()
                raise busy from None
            except BaseException:
                self._connection.rollback()
                raise
            self._connection.commit()  # a session lock: it outlives this transaction
        self._held = (scope, key)

    def release_scope(self) -> None:
        """Let the next run of the held scope go ahead (nothing when none is held)."""
        if self._held is None:
            return
        _, handle = self._held
        if self.dialect == "sqlite":
            self._held = None
            os.close(handle)  # releases the record lock
            return
        with self._errors():
            cursor = self._connection.cursor()
            try:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", (_SCOPE_LOCK_CLASS, handle))
            except BaseException:
                self._connection.rollback()
                raise
            self._connection.commit()
        self._held = None

    def _lock_range(self, scope: str, busy: EngineError) -> int:
        """An exclusive lock on one byte of the lock file, at an offset the scope chooses:
        runs of one scope take turns, runs of other scopes do not wait. Closing the file
        (or the process ending) releases it."""
        offset = int.from_bytes(hashlib.sha256(scope.encode()).digest()[:7], "big")
        path = self._scope_lock_path
        if path is None:  # every SQLite store opened by open_store has one
            raise EngineError(f"state store {self.where}: no lock file to hold a scope with")
        try:
            fd = open_private(path, f"state store {self.where}: lock file {path}", os.O_RDWR)
        except OSError as exc:
            raise EngineError(
                f"state store {self.where}: cannot open its lock file {path}: {_why(exc)}"
            ) from exc
        deadline = time.monotonic() + self._lock_timeout
        while True:
            try:
                _lock_byte(fd, offset)
                return fd
            except (BlockingIOError, PermissionError):  # F_SETLK says EAGAIN or EACCES
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise busy from None
                time.sleep(0.05)
            except BaseException:
                os.close(fd)
                raise

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One atomic unit, holding the store's write lock: commits at the end, rolls back
        on any error (a killed run leaves the store as it was before the transaction)."""
        with self._errors():
            cursor = self._connection.cursor()
            if self.dialect == "sqlite":
                cursor.execute("BEGIN IMMEDIATE")
            else:
                # In milliseconds, at least 1: PostgreSQL reads 0 as "wait forever".
                wait = f"{max(1, round(self._lock_timeout * 1000))}ms"
                cursor.execute("SET LOCAL lock_timeout = %s", (wait,))
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            try:
                yield _Tx(cursor, "?" if self.dialect == "sqlite" else "%s", self.where)
            except BaseException:
                self._connection.rollback()
                raise
            self._connection.commit()

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A read-only transaction, without the write lock: readers (the compliance
        service's pages and metrics) neither wait for a scan being recorded nor hold it
        up. It sees the store as of its first read (SQLite) or its start (PostgreSQL)."""
        with self._errors():
            cursor = self._connection.cursor()
            if self.dialect == "sqlite":
                cursor.execute("BEGIN DEFERRED")
            else:
                cursor.execute("SET TRANSACTION READ ONLY")
            try:
                yield _Tx(cursor, "?" if self.dialect == "sqlite" else "%s", self.where)
            finally:
                self._connection.rollback()  # nothing to keep: it wrote nothing

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise EngineError(
                    f"state store {self.where}: still locked by another run after"
                    f" {self._lock_timeout:g} s"
                ) from exc
            raise EngineError(f"state store {self.where}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                raise _corrupt(self.where, exc) from exc
            raise EngineError(f"state store {self.where}: {exc}") from exc
        except _pg_errors("LockNotAvailable") as exc:
            raise EngineError(
                f"state store {self.where}: still locked by another run after"
                f" {self._lock_timeout:g} s"
            ) from exc
        except _pg_errors("Error") as exc:
            raise EngineError(f"state store {self.where}: {_pg_message(exc)}") from exc


def _lock_byte(fd: int, offset: int) -> None:
    """Lock one byte, owned by this open file (Linux's open-file-description lock), so two
    stores in one process exclude each other as two processes do; where there is no such
    lock, a POSIX record lock (owned by the process). BlockingIOError or PermissionError
    when another holds it."""
    ofd = getattr(fcntl, "F_OFD_SETLK", None)
    if ofd is None:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset, os.SEEK_SET)
        return
    # struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for an OFD lock).
    request = struct.pack("hhxxxxqqixxxx", fcntl.F_WRLCK, os.SEEK_SET, offset, 1, 0)
    fcntl.fcntl(fd, ofd, request)


def open_store(
    url: str | None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    origin: str = "state URL",
    create: bool = True,
) -> StateStore:
    """A store from a path, sqlite:///path, postgresql://... or None (the default store).

    ``origin`` names where the URL came from in messages (`--state`, or a config file's
    `state.url`); a message shows the URL only with its credentials masked. With
    ``create`` false a missing SQLite file is an InputError, and nothing is created.
    """
    if url and url.startswith(("postgresql://", "postgres://")):
        store = _open_postgres(url, lock_timeout, origin)
    else:
        path = default_state_path() if not url else _sqlite_path(url, origin)
        if not create and not path.exists():
            raise InputError(f"{origin}: no state store at {path}")
        store = _open_sqlite(path, lock_timeout)
    try:
        _migrate(store)
    except BaseException:
        store.close()
        raise
    return store


# What a libpq connection string starts with: `keyword=` (host=..., dbname=..., ...).
_KEY_VALUE = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*=")
# userinfo of a URL (scheme://user:password@host): the password, up to the last @.
# key=value pairs (libpq strings, URL queries) whose key names a secret.
_SECRET_PAIR = re.compile(
    r"(?i)((?:^|[\s?&;])[\w.-]*(?:password|passwd|pwd|secret|token|key)[\w.-]*\s*=\s*)"
    r"('(?:[^'\\]|\\.)*'?|[^\s&;]*)"
)


def masked(text: str) -> str:
    """Text with the credentials of any URL or key=value string in it replaced by ****."""
    return _SECRET_PAIR.sub(r"\1****", mask_userinfo(text))


def _sqlite_path(url: str, origin: str) -> Path:
    if url.startswith("sqlite:"):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
            raise InputError(
                f"{origin}: {masked(url)}: a sqlite URL names a local file (sqlite:///path),"
                " without host, credentials or query"
            )
        return Path(unquote(parts.path))
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise InputError(
            f"{origin}: unsupported scheme {masked(scheme)!r} in {masked(url)}: expected a"
            " path, sqlite:///path or postgresql://..."
        )
    if _KEY_VALUE.match(url):
        # A libpq string given where a URL belongs: it would become a file name, password
        # and all. A file whose name starts with `word=` is still reachable as ./word=...
        raise InputError(
            f"{origin}: {masked(url)} looks like a libpq key=value connection string; give"
            " PostgreSQL as a URL (postgresql://user:password@host:port/dbname)"
        )
    return Path(url)


def _open_sqlite(path: Path, lock_timeout: float) -> StateStore:
    where = str(path)
    if path.exists() and not path.is_file():
        raise InputError(f"state store {where}: exists and is not a regular file")
    if sqlite3.sqlite_version_info < (3, 24):  # ON CONFLICT DO NOTHING
        raise EngineError(f"state store {where}: SQLite {sqlite3.sqlite_version} is too old")
    try:
        if not path.exists():
            make_private_dirs(path.parent)
        # Findings name resources and owners: the store is private to its user.
        # No O_EXCL: two first runs at once may both create it, harmlessly.
        os.close(open_private(path, f"state store {where}", os.O_RDONLY))
        # Not tied to the opening thread: the compliance service lends a connection to
        # one worker thread at a time (service/context.py); the CLI uses one thread.
        connection = sqlite3.connect(
            path, timeout=lock_timeout, isolation_level=None, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise EngineError(f"state store {where}: cannot open: {detail}") from exc
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        # Rollback journal (SQLite's default), not WAL: it works on any filesystem and
        # needs no mode switch that two first runs would race on.
        # fetchall, not fetchone: an unfinished statement keeps a read lock that would
        # deadlock with another run's commit.
        checked = connection.execute("PRAGMA quick_check(1)").fetchall()
        check = checked[0] if checked else None
        if check is None or check[0] != "ok":
            raise _corrupt(where, check[0] if check else "no answer to quick_check")
    except sqlite3.DatabaseError as exc:
        connection.close()
        if _is_corruption(exc):
            raise _corrupt(where, exc) from exc
        raise EngineError(f"state store {where}: {exc}") from exc
    except EngineError:
        connection.close()
        raise
    return StateStore(
        connection, "sqlite", where, lock_timeout, path.with_name(path.name + ".lock")
    )


def make_private_dirs(directory: Path) -> None:
    """Create the missing folders of `directory`, each 0700 (mkdir's mode is masked by
    the umask, and `parents=True` would ignore it): folders we create are private."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # another run made it first: its mode is its creator's business
        os.chmod(folder, 0o700)


def open_private(path: Path, what: str, flags: int) -> int:
    """Open `path` (created 0600 if missing), making an existing file 0600. A file owned
    by another user is refused (InputError): it is theirs to read and replace, so not our
    private store. Returns the open descriptor."""
    fd = os.open(path, os.O_CREAT | os.O_NOCTTY | os.O_NONBLOCK | flags, 0o600)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{what}: {path} exists and is not a regular file")
        if info.st_uid != os.geteuid():
            raise InputError(
                f"{what}: owned by uid {info.st_uid}, not by uid {os.geteuid()} running"
                " opa-comply: refusing a store another user controls (give a store of your own)"
            )
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.fchmod(fd, 0o600)  # group or others could read it: private from now on
    except BaseException:
        os.close(fd)
        raise
    return fd


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _pg_errors(name: str) -> tuple[type[Exception], ...]:
    """psycopg2's error class ``name`` (Error, or one of psycopg2.errors); none before a
    PostgreSQL store is opened, when no such error can be raised."""
    module = sys.modules.get("psycopg2")
    if module is None:
        return ()
    return (getattr(module, name, None) or getattr(module.errors, name),)


def _open_postgres(url: str, lock_timeout: float, origin: str) -> StateStore:
    # Imported here: a SQLite store or none (most scans) needs no PostgreSQL driver.
    import psycopg2
    from psycopg2.extensions import parse_dsn

    try:
        params = parse_dsn(url)
    except psycopg2.ProgrammingError:
        raise InputError(f"{origin}: not a valid postgresql:// URL") from None
    where = _display(params)
    try:
        connection = psycopg2.connect(url, connect_timeout=10, application_name="opa-comply")
    except psycopg2.Error as exc:
        raise EngineError(f"state store {where}: {_pg_message(exc, params)}") from exc
    return StateStore(connection, "postgresql", where, lock_timeout)


def _display(params: dict[str, str]) -> str:
    user = f"{params['user']}@" if params.get("user") else ""
    host = params.get("host") or "localhost"
    return f"postgresql://{user}{host}:{params.get('port') or 5432}/{params.get('dbname', '')}"


def _pg_message(exc: psycopg2.Error, params: dict[str, str] | None = None) -> str:
    text = " ".join(str(exc).split())
    password = (params or {}).get("password")
    return masked(text.replace(password, "****") if password else text)


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(exc)
    return "malformed" in text or "not a database" in text


def _corrupt(where: str, detail: object) -> EngineError:
    return EngineError(
        f"state store {where} is unreadable or corrupt ({detail}); it was left untouched:"
        " restore it from a backup, or move it aside to start a new history"
    )


def _migrate(store: StateStore) -> None:
    id_type = "INTEGER PRIMARY KEY" if store.dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
    real_type = "REAL" if store.dialect == "sqlite" else "DOUBLE PRECISION"
    with store.transaction() as tx:
        tx.execute(
            "CREATE TABLE IF NOT EXISTS opa_comply_migrations"
            " (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied = {int(v) for (v,) in tx.rows("SELECT version FROM opa_comply_migrations")}
        if applied and max(applied) > LATEST:
            raise EngineError(
                f"state store {store.where} has schema version {max(applied)}, newer than this"
                f" opa-comply understands ({LATEST}): upgrade opa-comply"
            )
        for version, description, steps in MIGRATIONS:
            if version in applied:
                continue
            for step in steps:
                tx.execute(step.format(id=id_type, real=real_type))
            tx.execute(
                "INSERT INTO opa_comply_migrations VALUES (?, ?, ?)",
                (version, description, now_iso()),
            )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
