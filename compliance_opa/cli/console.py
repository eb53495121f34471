"""Standard error and standard output for every command: one line per message, data
from the estate escaped so it stays one line, errors mapped to their exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, cast

import typer
from rich.console import Console

from compliance_opa.errors import ComplianceError, EngineError, ExitCode
from compliance_opa.support.printable import printable
from compliance_opa.support.stdout import guarded, reader_gone, write_stdout

# Every command imports this module; what only a scan or a collection uses (report
# writers, the outputs service, progress bars) is imported where it is used.
if TYPE_CHECKING:
    from compliance_opa.app.outputs import Display
    from compliance_opa.collect.base import Collector, CollectProgress, CollectSummary

P = ParamSpec("P")


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def one_line(text: str) -> str:
    """Control characters from user input shown escaped, so an error stays one line."""
    return printable(text)


def note(text: str) -> None:
    stderr().print(f"opa-comply: {one_line(text)}", markup=False)


def warning(text: str) -> None:
    stderr().print(f"opa-comply: warning: {one_line(text)}", markup=False)


def to_stdout(text: str) -> None:
    write_stdout(sys.stdout, text)


def draw_to_stdout(draw: Callable[[Console], None]) -> None:
    """Draw rich renderables onto standard output, guarded like any other write."""
    guarded(lambda: draw(_Stdout()), sys.stdout)


def stdout_console() -> Console:
    return _Stdout()


class _Stdout(Console):
    """Rich on standard output: a reader that went away is exit 3 like any failed write
    (rich's own rule would exit 1, which reads as "findings")."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise reader_gone(sys.stdout.fileno())


def display(output_format: str, console: Console) -> Display:
    """What a report looks like on standard output: the table in the console's own
    width, colours and encoding, any other format as its text."""
    from compliance_opa.app.outputs import Display
    from compliance_opa.reports import RENDERERS, table
    from compliance_opa.reports.table import ColorSystemName

    if sys.stdout is None:  # started with standard output closed (`>&-`)
        raise EngineError("cannot write to standard output: it is closed")
    if output_format == "table":
        color_system = cast(ColorSystemName | None, console.color_system)
        render = table.styled(console.width, console.is_terminal, color_system, console.encoding)
        return Display(render, sys.stdout)
    return Display(RENDERERS[output_format], sys.stdout)


class PrintedEvents:
    """A service's notes, warnings and collection progress, printed as they happen."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def note(self, text: str) -> None:
        note(text)

    def warning(self, text: str) -> None:
        warning(text)

    @contextmanager
    def collecting(self, source: Collector) -> Iterator[CollectProgress]:
        from compliance_opa.cli.views.progress import collect_progress

        with collect_progress(stderr(), self.quiet, live_gaps=source.live_gaps) as progress:
            yield progress

    def collected(self, source: Collector, summary: CollectSummary) -> None:
        from collectors.snapshot import Source as SnapshotSource
        from compliance_opa.cli.views.progress import gap_line

        if not source.live_gaps:
            err = stderr()
            for gap in summary.gaps:
                err.print(gap_line(SnapshotSource(**gap)), markup=False)
        note(source.describe(summary))


def one_line_errors(command: Callable[P, int]) -> Callable[P, None]:
    """Turn our errors and interrupts into one line on stderr and the documented exit code."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        err = stderr()
        try:
            code = command(*args, **kwargs)
        except ComplianceError as exc:
            err.print(f"opa-comply: error: {one_line(str(exc))}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("opa-comply: interrupted", markup=False)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Exception as exc:  # a bug of ours: still one line, and never exit 1
            detail = one_line(f"{type(exc).__name__}: {exc}")
            err.print(f"opa-comply: internal error: {detail} (please report it)", markup=False)
            raise typer.Exit(ExitCode.ENGINE) from None
        raise typer.Exit(code)

    return run
