"""Where ledger records and artifact copies live: the Store protocol and a local folder.

Names are relative and use "/": ``records/000001.json``, ``artifacts/<scan_id>/<name>``.
A store only ever creates names; nothing here rewrites or deletes one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import Protocol

from compliance_opa.errors import EngineError, InputError
from compliance_opa.evidence.problems import Problem
from compliance_opa.support.atomic import fsync_dir

LOCK_TIMEOUT = 60.0  # seconds an append waits for another process's append


class Store(Protocol):
    @property
    def location(self) -> str: ...

    def names(self, folder: str) -> list[str]:
        """Every name under ``folder`` ("records/" or "artifacts/"), sorted."""
        ...

    def read(self, name: str) -> bytes | None:
        """The bytes stored under ``name``, or None when there is none."""
        ...

    def create(self, name: str, data: bytes) -> bool:
        """Store ``data`` under a new ``name``; False (and nothing written) if it exists."""
        ...

    def appending(self) -> AbstractContextManager[None]:
        """Held around one append: serialises appenders where the store can."""
        ...

    def audit(self) -> list[Problem]:
        """Store-specific problems found after reading (e.g. overwritten S3 versions)."""
        ...


class LocalLedger:
    """A folder (mode 0700): records are created with a hard link from a finished temp
    file, which fails if the name exists, so a record is never half-visible or replaced."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def __repr__(self) -> str:
        return f"LocalLedger({str(self.directory)!r})"

    @property
    def location(self) -> str:
        return str(self.directory)

    def names(self, folder: str) -> list[str]:
        root = self.directory / folder
        try:
            if self.directory.exists() and not self.directory.is_dir():
                raise InputError(f"{self.directory}: not a folder (the evidence ledger is one)")
            if not root.is_dir():
                return []
            found = [
                p.relative_to(self.directory).as_posix()
                for p in root.rglob("*")
                if not p.name.startswith(".") and not p.is_dir()
            ]
        except OSError as exc:
            raise EngineError(f"{root}: cannot list the evidence ledger: {_why(exc)}") from exc
        return sorted(found)

    def read(self, name: str) -> bytes | None:
        path = self._path(name)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            return b""  # not a record: verification says so
        except OSError as exc:
            raise EngineError(f"{path}: cannot read the evidence ledger: {_why(exc)}") from exc

    def create(self, name: str, data: bytes) -> bool:
        path = self._path(name)
        try:
            self._make_dirs(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, 0o400)  # read-only: evidence is not edited in place
                try:
                    os.link(tmp, path)  # atomic, and fails when the name exists
                except FileExistsError:
                    return False
                except OSError as exc:
                    if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
                        raise
                    return self._create_exclusive(path, data)  # no hard links here
            finally:
                Path(tmp).unlink(missing_ok=True)
            fsync_dir(path.parent)
        except OSError as exc:
            raise EngineError(f"{path}: cannot write the evidence ledger: {_why(exc)}") from exc
        return True

    @contextlib.contextmanager
    def appending(self) -> Iterator[None]:
        lock_path = self.directory / ".lock"
        try:
            self._make_dirs(self.directory)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise EngineError(f"{lock_path}: cannot lock the evidence ledger: {_why(exc)}") from exc
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise EngineError(
                            f"{lock_path}: another process held the evidence ledger for"
                            f" {LOCK_TIMEOUT:.0f}s"
                        ) from None
                    time.sleep(0.01)
            yield
        finally:
            os.close(fd)  # releases the lock

    def audit(self) -> list[Problem]:
        return []

    def _path(self, name: str) -> Path:
        parts = PurePosixPath(name).parts
        if not parts or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            raise EngineError(f"{self.directory}: refusing ledger name {name!r}")
        return self.directory.joinpath(*parts)

    def _make_dirs(self, directory: Path) -> None:
        missing = []
        while not directory.exists():
            missing.append(directory)
            directory = directory.parent
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
                os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask

    def _create_exclusive(self, path: Path, data: bytes) -> bool:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return True


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
