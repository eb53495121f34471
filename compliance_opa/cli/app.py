"""The `opa-comply` command: its sub-commands, in the order `--help` lists them."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

import typer

from compliance_opa import __version__
from compliance_opa.app.scan import ScanKind
from compliance_opa.cli.alerts import alerts_app
from compliance_opa.cli.collect import collect_app
from compliance_opa.cli.console import one_line_errors
from compliance_opa.cli.evidence import evidence_app
from compliance_opa.cli.policies import policies_app
from compliance_opa.cli.report import report_command
from compliance_opa.cli.scan import command as scan_command
from compliance_opa.engine.binary import PINNED_OPA_VERSION
from compliance_opa.errors import ExitCode
from compliance_opa.support.memory import return_large_blocks

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Policy-as-code compliance checks (GDPR, HIPAA, PCI DSS, SOC 2) on Open Policy Agent.",
)

app.command("scan")(scan_command(ScanKind.SCAN))
app.command(
    "plan",
    help="Judge Terraform plans (terraform show -json) before merge; same options as scan.",
)(scan_command(ScanKind.PLAN))
app.command(
    "drift",
    help="Collect (the config's drift.collect), scan, compare with the last scan of the same"
    " scope, and send alerts for what is new and what was resolved; same options as scan.",
)(scan_command(ScanKind.DRIFT))
app.add_typer(collect_app, name="collect")
app.command("report")(report_command)
app.add_typer(evidence_app, name="evidence")
app.add_typer(alerts_app, name="alerts")
app.add_typer(policies_app, name="policies")


@app.command()
@one_line_errors
def version() -> int:
    """Print opa-comply's version and the OPA version it pins."""
    typer.echo(f"opa-comply {__version__} (OPA pinned: v{PINNED_OPA_VERSION})")
    return ExitCode.OK


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM unwinds like Ctrl-C, so context managers stop the sidecar.
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    return_large_blocks()
    try:
        app()
    except SystemExit as done:
        if done.code != ExitCode.INTERRUPTED:
            raise
        # Everything was unwound on the way here (sidecar stopped, store closed). Exit at
        # once: when the signal landed inside exec() (the compiled schema validators,
        # dataclasses), CPython would otherwise end the process with SIGINT, not 130.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(ExitCode.INTERRUPTED)
