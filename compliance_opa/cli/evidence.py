"""`opa-comply evidence ...`: verify the ledger from the command line.

Register with ``app.add_typer(evidence_app, name="evidence")``. Failures are raised as
ComplianceError and turned into one line and an exit code by the CLI's wrapper.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, ParamSpec

import typer

from compliance_opa.app.stores import ledger_history
from compliance_opa.cli.console import one_line_errors
from compliance_opa.errors import ExitCode
from compliance_opa.evidence.ledger import open_ledger
from compliance_opa.evidence.settings import MAX_S3_TIMEOUT, S3_TIMEOUT, load_evidence_section
from compliance_opa.evidence.signing import verifier_from_config
from compliance_opa.evidence.verify import Verification, check
from compliance_opa.support.printable import printable

P = ParamSpec("P")

evidence_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Verify the tamper-evident evidence ledger of past scans.",
)


@evidence_app.callback()
def evidence() -> None:
    """The evidence ledger: one hash-chained, optionally signed record per scan."""


@evidence_app.command("verify")
@one_line_errors
def verify_command(
    ledger: Annotated[
        str | None,
        typer.Option(
            metavar="PATH|s3://bucket/prefix",
            help="The ledger (default: the config's evidence.store, else"
            " $XDG_STATE_HOME/opa-comply/evidence).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="YAML config whose `evidence:` section names the store and keys."),
    ] = None,
    endpoint_url: Annotated[
        str | None, typer.Option(help="Send S3 calls to this endpoint (proxies, emulators).")
    ] = None,
    no_artifacts: Annotated[
        bool, typer.Option("--no-artifacts", help="Check records only, not the report copies.")
    ] = False,
    state: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            envvar="OPA_COMPLY_STATE",
            help="State store whose complete scans must each have their record (default:"
            " the config's state.url; with the default ledger, the default store if any).",
        ),
    ] = None,
    no_state: Annotated[
        bool,
        typer.Option("--no-state", help="Do not check the ledger against a state store."),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            metavar="SECONDS",
            min=0.001,
            max=MAX_S3_TIMEOUT,
            help="S3: seconds to connect and to wait for each answer; a call is tried twice"
            " (AWS_MAX_ATTEMPTS to change), so a silent endpoint fails in about 2 x SECONDS.",
        ),
    ] = S3_TIMEOUT,
) -> int:
    """Check every record's hash, the chain, signatures and artifact copies, and that
    every complete scan of the state store has its record.

    Exit 0 intact; 1 any problem, an empty ledger too; 2 bad usage or config; 3 store unreadable.
    """
    # --no-state wins over a store named by OPA_COMPLY_STATE, as it does for scans.
    section = load_evidence_section(config) if config is not None else {}
    verifier = verifier_from_config(section, os.environ)  # key errors before any I/O
    default_ledger = ledger is None and "store" not in section
    history = None if no_state else ledger_history(state, config, default_ledger)
    store = open_ledger(ledger, section, endpoint_url, timeout=timeout)
    result = check(store, verifier, check_artifacts=not no_artifacts, expected=history)
    for problem in result.problems:
        # Names come from the store, which an attacker may control: one line each.
        typer.echo(printable(problem.line))
    typer.echo(summary(result))
    if result.history is None:
        typer.echo(NO_HISTORY)
    return ExitCode.OK if result.intact else ExitCode.FINDINGS


NO_HISTORY = (
    "note: not checked against a state store: a ledger alone cannot show that its newest"
    " records were deleted (give --state, or a config with state.url)"
)


def summary(result: Verification) -> str:
    if result.empty and len(result.problems) == 1:
        return "ledger EMPTY: no records to verify"
    if not result.intact:
        count = len(result.problems)
        return f"ledger TAMPERED: {count} problem{'s' if count != 1 else ''}"
    parts = [f"{result.records} record{'s' if result.records != 1 else ''}", "chain intact"]
    if result.signatures_checked:
        parts.append(f"{result.signatures} signatures verified")
    elif result.unsigned < result.records:
        parts.append(f"{result.records - result.unsigned} signatures not checked (no key given)")
    else:
        parts.append("unsigned")
    if result.artifacts_checked:
        parts.append(f"{result.artifacts} artifacts match")
    else:
        parts.append("artifacts not checked")
    if result.history is not None:
        one = result.history == 1
        theirs = "has its record" if one else "have their records"
        parts.append(
            f"{result.history} complete scan{'' if one else 's'} of the state store {theirs}"
        )
    return "ledger OK: " + ", ".join(parts)
