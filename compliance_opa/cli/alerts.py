"""`alerts list` and `alerts retry`: the outbox."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from typing import Annotated

import typer

from compliance_opa.app.alerts import list_alerts, report_delivery, retry_alerts
from compliance_opa.cli.console import (
    PrintedEvents,
    draw_to_stdout,
    one_line_errors,
    to_stdout,
)
from compliance_opa.cli.options import ConfigOption, ListFormat, QuietOption, StateOption
from compliance_opa.cli.views.outbox import outbox_json, print_outbox
from compliance_opa.errors import ExitCode

alerts_app = typer.Typer(no_args_is_help=True, help="Inspect and retry queued alerts.")


class AlertStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    dead = "dead"


@alerts_app.command("list")
@one_line_errors
def alerts_list(
    status: Annotated[
        list[AlertStatus] | None,
        typer.Option("--status", help="Only alerts in this state (repeatable; default: all)."),
    ] = None,
    list_format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,
    state: StateOption = None,
    config: ConfigOption = None,
) -> int:
    """List the alerts in the outbox: pending, being sent, sent, and dead letters."""
    rows = list_alerts([s.value for s in status or []], state, config)
    if list_format is ListFormat.json:
        to_stdout(json.dumps([outbox_json(r) for r in rows], indent=2) + "\n")
    else:
        draw_to_stdout(lambda console: print_outbox(rows, console))
    return ExitCode.OK


@alerts_app.command("retry")
@one_line_errors
def alerts_retry(
    seq: Annotated[
        list[int] | None,
        typer.Option("--id", help="Only this dead alert (repeatable; default: every dead one)."),
    ] = None,
    state: StateOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> int:
    """Put dead alerts back in the queue and deliver everything pending now.

    Exit 0 when nothing is left undelivered, 3 when some alerts still fail.
    """
    outcome = retry_alerts(seq or [], state, config, os.environ)
    if not quiet:
        report_delivery(outcome.result, f"{outcome.requeued} requeued, ", PrintedEvents())
    return ExitCode.ENGINE if outcome.undelivered else ExitCode.OK
