"""`opa-comply remediate ...`: plan, approve, apply and roll back fixes of failing findings.

Register with ``app.add_typer(remediate_app, name="remediate")``. Everything shown that
comes from the estate or the store goes through ``printable`` (one line, no controls).
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from compliance_opa.app import remediate
from compliance_opa.app.remediate import Applied, Settings
from compliance_opa.cli.console import one_line_errors
from compliance_opa.engine.connect import EngineSettings
from compliance_opa.errors import ExitCode, InputError
from compliance_opa.state.remediations import Proposal
from compliance_opa.support.printable import printable

remediate_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Fix failing findings: propose, approve (by policy and people), apply with"
    " verification and automatic rollback, roll back on request.",
)

Config = Annotated[
    Path | None,
    typer.Option(help="YAML config: `remediation:` (credentials, approval policy), collectors."),
]
State = Annotated[
    str | None,
    typer.Option(
        metavar="URL", envvar="OPA_COMPLY_STATE", help="State store (default: config, else local)."
    ),
]
By = Annotated[
    str | None,
    typer.Option("--by", help="Who does this (default: the login name).", show_default=False),
]


@remediate_app.callback()
def remediate_group() -> None:
    """Guarded fixes: every proposal and state is kept in the state store and the ledger."""


def _settings(config: Path | None, state: str | None) -> Settings:
    return Settings(config=config, state=state, engine=EngineSettings())


def _who(given: str | None) -> str:
    if given is not None:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@remediate_app.command("plan")
@one_line_errors
def plan_command(
    scan: Annotated[str, typer.Option(help="`latest` or a scan id.")] = "latest",
    scope: Annotated[str | None, typer.Option(help="With --scan latest: of this scope.")] = None,
    check: Annotated[
        list[str] | None, typer.Option("--check", metavar="GLOB", help="Only these checks.")
    ] = None,
    resource: Annotated[
        list[str] | None,
        typer.Option("--resource", metavar="GLOB", help="Only these resource addresses."),
    ] = None,
    requested_by: Annotated[
        str | None, typer.Option(help="Who asks for the fixes (default: the login name).")
    ] = None,
    config: Config = None,
    state: State = None,
) -> int:
    """Propose fixes for the scan's failing findings whose check has a fixer.

    Each resource is collected again first (read-only), so a proposal shows the value it
    would replace now. The approval policy decides: auto, approve (n people) or deny.
    """
    request = remediate.PlanRequest(
        requested_by=_who(requested_by),
        scan=scan,
        scope=scope,
        checks=tuple(check or ()),
        resources=tuple(resource or ()),
    )
    outcome = remediate.plan(request, _settings(config, state), os.environ)
    for proposal in outcome.proposals:
        _show(proposal)
    for proposal in outcome.kept:
        typer.echo(
            printable(
                f"{proposal.proposal_id}  already proposed ({proposal.state}):"
                f" {proposal.check_id} {proposal.resource}"
            )
        )
    for skipped in outcome.skipped:
        typer.echo(printable(f"skipped {skipped.check_id} {skipped.resource}: {skipped.why}"))
    typer.echo(
        f"{len(outcome.proposals)} new proposal(s) from scan {outcome.scan_id},"
        f" {len(outcome.kept)} already open, {len(outcome.skipped)} skipped"
    )
    failed = [s for s in outcome.skipped if s.failed]
    if failed:  # a refused or unreachable read is not "nothing to fix": a pipeline must see it
        first = failed[0]
        more = f" (and {len(failed) - 1} more, above)" if len(failed) > 1 else ""
        line = f"opa-comply: error: {first.check_id} {first.resource}: {first.why}{more}"
        typer.echo(printable(line), err=True)
        return ExitCode.ENGINE
    return ExitCode.OK


@remediate_app.command("list")
@one_line_errors
def list_command(
    state_filter: Annotated[
        list[str] | None,
        typer.Option("--state-is", metavar="STATE", help="Only proposals in these states."),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    config: Config = None,
    state: State = None,
) -> int:
    """Every proposal and its state."""
    if output_format not in ("text", "json"):
        raise InputError(f"--format {output_format}: expected text or json")
    proposals = remediate.listed(_settings(config, state), os.environ, tuple(state_filter or ()))
    if output_format == "json":
        typer.echo(json.dumps([_as_json(p) for p in proposals], indent=2, sort_keys=True))
        return ExitCode.OK
    for proposal in proposals:
        typer.echo(
            printable(
                f"{proposal.proposal_id}  {proposal.state:<11}  {proposal.check_id}"
                f"  {proposal.resource}  ({_decision(proposal)})"
            )
        )
    typer.echo(f"{len(proposals)} proposal(s)")
    return ExitCode.OK


@remediate_app.command("show")
@one_line_errors
def show_command(
    proposal_id: Annotated[str, typer.Argument(metavar="ID")],
    config: Config = None,
    state: State = None,
) -> int:
    """One proposal: its change, blast radius, approvals and every state it went through."""
    proposal, events = remediate.history(proposal_id, _settings(config, state), os.environ)
    _show(proposal)
    for event in events:
        typer.echo(printable(f"  {event.at}  {event.state:<11}  {event.actor}: {event.detail}"))
    return ExitCode.OK


@remediate_app.command("approve")
@one_line_errors
def approve_command(
    proposal_id: Annotated[str, typer.Argument(metavar="ID")],
    by: By = None,
    config: Config = None,
    state: State = None,
) -> int:
    """Approve a proposal. Its requester cannot approve it, nor anyone twice."""
    proposal = remediate.approve(proposal_id, _who(by), _settings(config, state), os.environ)
    typer.echo(
        printable(
            f"{proposal.proposal_id}: {proposal.state}"
            f" ({len(proposal.approvers)} of {proposal.approvals_needed} approvals:"
            f" {', '.join(proposal.approvers)})"
        )
    )
    return ExitCode.OK


class _Printed:
    def note(self, line: str) -> None:
        typer.echo(printable(line), err=True)

    def applied(self, proposal: Proposal) -> None:
        typer.echo(printable(f"{proposal.proposal_id}: applied; verifying"), err=True)


@remediate_app.command("apply")
@one_line_errors
def apply_command(
    proposal_ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ID]...", help="Default: every approved proposal."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    by: By = None,
    config: Config = None,
    state: State = None,
) -> int:
    """Apply approved fixes one resource at a time: capture the before-state, write,
    collect the resource again and judge it; roll back automatically when the finding is
    not resolved or another check on it newly fails.

    Exit 0 every fix verified; 1 any fix failed (and was rolled back); 2 bad usage (a
    proposal not approved); 3 a store, engine or cloud failure.
    """
    outcomes = remediate.apply(
        tuple(proposal_ids or ()),
        _who(by),
        _settings(config, state),
        os.environ,
        _Printed(),
        dry_run=dry_run,
    )
    for outcome in outcomes:
        typer.echo(printable(_outcome_line(outcome, dry_run)))
    if not outcomes:
        typer.echo("nothing to apply: no approved proposal")
    return ExitCode.OK if all(o.ok for o in outcomes) else ExitCode.FINDINGS


@remediate_app.command("rollback")
@one_line_errors
def rollback_command(
    proposal_id: Annotated[str, typer.Argument(metavar="ID")],
    by: By = None,
    config: Config = None,
    state: State = None,
) -> int:
    """Write back the before-state of an applied fix."""
    proposal = remediate.rollback(proposal_id, _who(by), _settings(config, state), os.environ)
    typer.echo(printable(f"{proposal.proposal_id}: {proposal.state}"))
    return ExitCode.OK


def _outcome_line(outcome: Applied, dry_run: bool) -> str:
    proposal = outcome.proposal
    head = f"{proposal.proposal_id}  {proposal.check_id}  {proposal.resource}"
    if dry_run:
        return f"{head}: dry run: {outcome.detail}"
    return f"{head}: {proposal.state}: {outcome.detail}"


def _decision(proposal: Proposal) -> str:
    if proposal.decision == "approve":
        return f"needs {proposal.approvals_needed} approval(s), has {len(proposal.approvers)}"
    return f"{proposal.decision}: {proposal.reason}"


def _show(proposal: Proposal) -> None:
    change: dict[str, Any] = proposal.change
    lines = [
        f"{proposal.proposal_id}  {proposal.state}  {proposal.check_id}  {proposal.resource}",
        f"  change: {change.get('summary', '')}",
        f"  {change.get('setting', '')}: {remediate.short_json(change.get('current'), 300)}"
        f" -> {remediate.short_json(change.get('proposed'), 300)}",
        f"  impact: {change.get('impact', '')}",
    ]
    lines += [f"  touches: {line}" for line in change.get("blast_radius", [])]
    lines.append(f"  approval: {_decision(proposal)} ({proposal.reason})")
    for line in lines:
        typer.echo(printable(line))


def _as_json(proposal: Proposal) -> dict[str, Any]:
    body = {k: v for k, v in vars(proposal).items() if k != "before"}
    body["approvers"] = list(proposal.approvers)
    body["before_captured"] = proposal.before is not None
    return body
