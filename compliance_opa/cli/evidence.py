"""`opa-comply evidence ...`: verify the ledger from the command line.

Register with ``app.add_typer(evidence_app, name="evidence")``. Failures are raised as
ComplianceError and turned into one line and an exit code by the CLI's wrapper.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, ParamSpec

import typer

from compliance_opa.cli.console import one_line_errors
from compliance_opa.errors import ExitCode
from compliance_opa.evidence.ledger import open_ledger
from compliance_opa.evidence.settings import load_evidence_section
from compliance_opa.evidence.signing import verifier_from_config
from compliance_opa.evidence.verify import Verification, check

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
) -> int:
    """Check every record's hash, the chain, signatures and artifact copies.

    Exit 0 intact; 1 any problem, an empty ledger too; 2 bad usage or config; 3 store unreadable.
    """
    section = load_evidence_section(config) if config is not None else {}
    verifier = verifier_from_config(section, os.environ)  # key errors before any I/O
    store = open_ledger(ledger, section, endpoint_url)
    result = check(store, verifier, check_artifacts=not no_artifacts)
    for problem in result.problems:
        typer.echo(_printable(problem.line))
    typer.echo(summary(result))
    return ExitCode.OK if result.intact else ExitCode.FINDINGS


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
    return "ledger OK: " + ", ".join(parts)


def _printable(text: str) -> str:
    # Names come from the store, which an attacker may control: keep each problem one line.
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
