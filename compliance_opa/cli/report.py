"""`report`: the report of a recorded scan, in any format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from compliance_opa.app.reports import ReportRequest, render_stored
from compliance_opa.cli.console import PrintedEvents, display, one_line_errors, stdout_console
from compliance_opa.cli.options import (
    ConfigOption,
    OutputFormat,
    ProfileOption,
    PublishOption,
    StateOption,
)
from compliance_opa.errors import ExitCode


@one_line_errors
def report_command(
    scan_ref: Annotated[
        str, typer.Option("--scan", help="`latest`, or the id of a recorded scan.")
    ] = "latest",
    scope: Annotated[
        str | None, typer.Option(help="With --scan latest: the latest scan of this scope.")
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="Output format; table on a terminal, json otherwise."),
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Write the report here (atomically).")] = None,
    report_dir: Annotated[
        Path | None, typer.Option(help="Also write every report format into this folder.")
    ] = None,
    state: StateOption = None,
    config: ConfigOption = None,
    publish_to: PublishOption = None,
    profile: ProfileOption = None,
) -> int:
    """Render the report of a recorded scan, in any format, as the scan produced it."""
    console = stdout_console()
    chosen = output_format or (OutputFormat.table if console.is_terminal else OutputFormat.json)
    request = ReportRequest(
        scan=scan_ref,
        scope=scope,
        output_format=chosen.value,
        output=output,
        report_dir=report_dir,
        display=display(chosen.value, console) if output is None else None,
        state=state,
        config=config,
        publish_to=publish_to,
        profile=profile,
    )
    render_stored(request, PrintedEvents())
    return ExitCode.OK
