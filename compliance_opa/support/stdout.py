"""Writing to standard output: a reader that went away is quiet, a failed write is exit 3."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO

from compliance_opa.errors import EngineError


def guarded(write: Callable[[], object], stream: IO[str]) -> None:
    """Run a write to the stream, then flush it."""
    try:
        write()
        stream.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except OSError as exc:
        raise EngineError(f"cannot write to standard output: {exc.strerror or exc}") from exc


def write_stdout(stream: IO[str], text: str) -> None:
    guarded(lambda: stream.write(text), stream)
