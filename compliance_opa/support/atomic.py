"""Atomic file writes: a failed run never leaves a half-written report.

Every file goes to a temp file beside its target (fsync) and is renamed only
once all of them are written, so a scan's reports are replaced together.
"""

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from compliance_opa.errors import EngineError

_SLICE = 1 << 20  # characters written at a time


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file, fsync and rename."""
    write_all_atomic({path: text})


def write_all_atomic(files: Mapping[Path, str | bytes | bytearray]) -> None:
    # The null device keeps nothing: there is nothing to write, and no temp file beside it.
    files = {p: t for p, t in files.items() if os.path.realpath(p) != os.devnull}
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            staged.append((_stage(path, text), path))
        for tmp_name, path in staged:
            try:
                os.replace(tmp_name, path)
            except OSError as exc:
                exc.filename = str(path)
                raise
        for directory in {path.parent for path in files}:
            fsync_dir(directory)
    except OSError as exc:
        failed = exc.filename if isinstance(exc.filename, str) else "report"
        raise EngineError(f"{failed}: cannot write report: {exc.strerror or exc}") from exc
    finally:
        for tmp_name, _ in staged:
            Path(tmp_name).unlink(missing_ok=True)


def _stage(path: Path, text: str | bytes | bytearray) -> str:
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        exc.filename = str(path)
        raise
    try:
        # mkstemp creates 0600; a report gets the mode any new file would (umask).
        os.fchmod(fd, 0o666 & ~_umask())
        if not isinstance(text, str):  # already UTF-8
            with os.fdopen(fd, "wb") as binary:
                view = memoryview(text)
                for start in range(0, len(view), _SLICE):
                    binary.write(view[start : start + _SLICE])
                binary.flush()
                os.fsync(binary.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                # In slices: writing a report of tens of MiB at once encodes all of it first.
                for start in range(0, len(text), _SLICE):
                    handle.write(text[start : start + _SLICE])
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        exc.filename = str(path)
        raise
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return tmp_name


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; some filesystems refuse, which is harmless.
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
