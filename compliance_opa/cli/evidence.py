"""`opa-comply evidence ...`: verify the ledger from the command line.

Register with ``app.add_typer(evidence_app, name="evidence")``. Failures are raised as
ComplianceError and turned into one line and an exit code by the CLI's wrapper.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, ParamSpec

import typer

from collectors.auditlog.options import LOG_FORMATS
from compliance_opa.app.collect import collect_snapshot
from compliance_opa.app.stores import ledger_history
from compliance_opa.cli.console import PrintedEvents, one_line_errors
from compliance_opa.collect.auditlog import AuditLogFlags
from compliance_opa.errors import ExitCode, InputError
from compliance_opa.evidence.ledger import open_ledger
from compliance_opa.evidence.settings import MAX_S3_TIMEOUT, S3_TIMEOUT, load_evidence_section
from compliance_opa.evidence.signing import verifier_from_config
from compliance_opa.evidence.verify import Verification, check
from compliance_opa.support.printable import printable

P = ParamSpec("P")

evidence_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Verify the tamper-evident evidence ledger of past scans; summarise audit logs.",
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


def _moment(value: str | None, option: str, *, end: bool) -> datetime | None:
    """A date (YYYY-MM-DD, UTC; as --to, the whole day is in the period) or an RFC 3339
    time with its zone."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            return day + timedelta(days=1) if end else day
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option} {printable(value[:60])}: expected a date (YYYY-MM-DD) or an RFC 3339"
            " time with its zone (2026-11-30T18:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        raise InputError(f"{option} {printable(value[:60])}: give the time zone (Z or +hh:mm)")
    return moment


def _public_keys(given: list[str] | None) -> dict[str, str]:
    keys: dict[str, str] = {}
    for entry in given or []:
        fingerprint, _, path = entry.partition("=")
        if not re.fullmatch(r"[0-9a-fA-F]{16,128}", fingerprint) or not path:
            raise InputError(
                f"--cloudtrail-public-key {printable(entry[:80])}: expected FINGERPRINT=FILE"
                " (the digest's hex digestPublicKeyFingerprint and a PEM or DER key file)"
            )
        keys[fingerprint.lower()] = path
    return keys


@evidence_app.command("audit-logs")
@one_line_errors
def audit_logs_command(
    output: Annotated[Path, typer.Option(help="Write the summary snapshot here (atomically).")],
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE|TIME",
            help="Start of the period (default: --to minus the config's period_days, 1).",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            metavar="DATE|TIME", help="End of the period, a date inclusive (default: now)."
        ),
    ] = None,
    postgres_log: Annotated[
        list[str] | None,
        typer.Option(
            metavar="FILE|DIR", help="PostgreSQL log (csvlog, jsonlog or stderr; .gz too); repeat."
        ),
    ] = None,
    postgres_server: Annotated[
        str | None, typer.Option(metavar="NAME", help="The server's name in the summary.")
    ] = None,
    log_format: Annotated[
        str | None,
        typer.Option(
            metavar="auto|csvlog|jsonlog|stderr", help="The logs' format (default: auto)."
        ),
    ] = None,
    log_line_prefix: Annotated[
        str | None,
        typer.Option(metavar="PREFIX", help="The server's log_line_prefix (stderr logs)."),
    ] = None,
    classification: Annotated[
        str | None,
        typer.Option(
            metavar="SNAPSHOT",
            help="A `collect postgres` snapshot: its classified tables count as sensitive.",
        ),
    ] = None,
    cloudtrail: Annotated[
        list[str] | None,
        typer.Option(metavar="s3://BUCKET/PREFIX", help="A trail's log location; repeat."),
    ] = None,
    cloudtrail_public_key: Annotated[
        list[str] | None,
        typer.Option(
            metavar="FINGERPRINT=FILE", help="Public key to verify digest signatures; repeat."
        ),
    ] = None,
    endpoint_url: Annotated[
        str | None, typer.Option(help="Send S3 calls to this endpoint (proxies, emulators).")
    ] = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile for S3.")] = None,
    region: Annotated[str | None, typer.Option(help="AWS region for S3.")] = None,
    config: Annotated[
        Path | None, typer.Option(help="YAML config whose `audit_logs:` section names sources.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing on success.")] = False,
) -> int:
    """Summarise the audit logs of a period (PostgreSQL pgaudit lines, CloudTrail with its
    digest chain) into an inventory snapshot that `scan` judges and every report shows.

    Statement text, literals and request parameters are never kept.
    """
    if log_format is not None and log_format not in LOG_FORMATS:
        raise InputError(
            f"--log-format {printable(log_format[:40])}: expected {', '.join(LOG_FORMATS)}"
        )
    flags = AuditLogFlags(
        start=_moment(from_, "--from", end=False),
        end=_moment(to, "--to", end=True),
        postgres_logs=tuple(postgres_log or ()),
        postgres_server=postgres_server,
        log_format=log_format,
        log_line_prefix=log_line_prefix,
        classification=classification,
        cloudtrail=tuple(cloudtrail or ()),
        public_keys=_public_keys(cloudtrail_public_key),
        endpoint_url=endpoint_url,
        profile=profile,
        region=region,
    )
    collect_snapshot("audit_logs", flags, output, config, os.environ, PrintedEvents(quiet), quiet)
    return ExitCode.OK
