"""Collection progress on stderr: a live bar on a terminal, plain lines in CI logs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from collectors.snapshot import Source
from compliance_opa.collect.base import CollectProgress
from compliance_opa.reports.table import shown
from compliance_opa.support.printable import printable


@contextmanager
def collect_progress(
    console: Console, quiet: bool, live_gaps: bool = True
) -> Iterator[CollectProgress]:
    """Hooks for the collect service; gaps are shown as they happen unless --quiet or
    the caller lists them itself at the end (live_gaps=False)."""
    if quiet:
        yield CollectProgress()
    elif console.is_terminal:
        with Progress(
            TextColumn("collecting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None)

            def planned(total: int) -> None:
                bar.update(task, total=total)

            def done(source: Source, found: int) -> None:
                bar.update(task, advance=1, description=shown(source.scope))
                if live_gaps and source.status != "complete":
                    bar.console.print(gap_line(source), markup=False, highlight=False)

            yield CollectProgress(planned, done)
    else:

        def line_done(source: Source, found: int) -> None:
            if live_gaps and source.status != "complete":  # CI logs: only what needs reading
                console.print(gap_line(source), markup=False, highlight=False)

        yield CollectProgress(None, line_done)


def gap_line(source: Source) -> str:
    """One line (printed without markup): the scope and the detail (an API's error) are
    the estate's text, shown with their control characters escaped."""
    detail = f": {source.detail}" if source.detail else ""
    return printable(f"opa-comply: {source.kind} {source.scope} {source.status}{detail}")
