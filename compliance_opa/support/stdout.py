"""Writing to standard output: a reader that went away is quiet, a failed write is exit 3."""

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


def guarded(write: Callable[[], object], stream: TextStream) -> None:
    """Run a write to the stream, then flush it."""
    try:
        write()
        stream.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except OSError as exc:
        raise EngineError(f"cannot write to standard output: {exc.strerror or exc}") from exc


def write_stdout(stream: TextStream, text: str) -> None:
    guarded(lambda: stream.write(text), stream)
