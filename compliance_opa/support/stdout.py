"""Writing to standard output: any failed write, a reader that went away included, is exit 3."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol

from compliance_opa.errors import EngineError


class TextStream(Protocol):
    """Where text is written: standard output, or what a front end puts in its place."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...

    def fileno(self) -> int: ...


def guarded(write: Callable[[], object], stream: TextStream | None) -> None:
    """Run a write to the stream, then flush it. A failed write is exit 3: the output is
    incomplete, so the scan must not count as done (a reader that went away included)."""
    if stream is None:  # started with standard output closed (`>&-`)
        raise EngineError("cannot write to standard output: it is closed")
    try:
        write()
        stream.flush()
    except BrokenPipeError as exc:
        raise reader_gone(stream.fileno()) from exc
    except OSError as exc:
        raise EngineError(f"cannot write to standard output: {exc.strerror or exc}") from exc


def reader_gone(fileno: int) -> EngineError:
    """The error for a reader that went away; the descriptor is pointed at the null device
    first, so Python does not complain again when it flushes at exit."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fileno)
    os.close(null)
    return EngineError("cannot write to standard output: the reader closed the pipe")


def write_stdout(stream: TextStream | None, text: str) -> None:
    guarded(lambda: stream.write(text) if stream is not None else None, stream)
