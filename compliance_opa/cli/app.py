"""The `opa-comply` command: its sub-commands, in the order `--help` lists them."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

import typer

# typer (pinned) carries its own copy of click; its parser raises these.
from typer._click import core as click_core
from typer._click import exceptions as click_errors

from compliance_opa import __version__
from compliance_opa.app.scan import ScanKind
from compliance_opa.cli.alerts import alerts_app
from compliance_opa.cli.collect import collect_app
from compliance_opa.cli.console import one_line, one_line_errors, stderr
from compliance_opa.cli.evidence import evidence_app
from compliance_opa.cli.policies import policies_app
from compliance_opa.cli.remediate import remediate_app
from compliance_opa.cli.report import report_command
from compliance_opa.cli.scan import command as scan_command
from compliance_opa.cli.serve import serve_command, token_command
from compliance_opa.engine.binary import PINNED_OPA_VERSION
from compliance_opa.errors import ExitCode
from compliance_opa.support.memory import return_large_blocks

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help=(
        "Policy-as-code compliance checks (GDPR, HIPAA, PCI DSS, SOC 2, ISO 27001)"
        " on Open Policy Agent."
    ),
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
app.add_typer(remediate_app, name="remediate")
app.add_typer(alerts_app, name="alerts")
app.add_typer(policies_app, name="policies")
app.command("serve")(serve_command)
app.command("token")(token_command)


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
    code = _run_app()
    if code == ExitCode.INTERRUPTED:
        # Everything was unwound on the way here (sidecar stopped, store closed). Exit at
        # once: when the signal landed inside exec() (the compiled schema validators,
        # dataclasses), CPython would otherwise end the process with SIGINT, not 130.
        if sys.stdout is not None:
            sys.stdout.flush()
        sys.stderr.flush()
        os._exit(ExitCode.INTERRUPTED)
    sys.exit(code)


def _run_app() -> int:
    """Run the command; a usage error is the same one line as any other error (typer's
    own would be a box of several lines), exit 2."""
    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:  # no command given: the help
        # Imported here: rich's help formatting (rich.markdown, pygments) costs about
        # 40 ms that a command never needs; typer itself imports it lazily too.
        from typer import rich_utils

        rich_utils.rich_format_error(exc)
        return exc.exit_code
    except click_errors.ClickException as exc:
        context = getattr(exc, "ctx", None)
        where = f" (see `{_command_of(context)} --help`)" if context is not None else ""
        message = one_line(exc.format_message())
        stderr().print(f"opa-comply: error: {message}{where}", markup=False)
        return ExitCode.BAD_INPUT
    except typer.Abort:
        stderr().print("opa-comply: interrupted", markup=False)
        return ExitCode.INTERRUPTED
    return code if isinstance(code, int) else ExitCode.OK


def _command_of(context: click_core.Context) -> str:
    """`opa-comply alerts list`, however the program was started (`python -m ...`)."""
    names: list[str] = []
    while context.parent is not None:
        names.insert(0, context.info_name or "")
        context = context.parent
    return " ".join(["opa-comply", *names])
