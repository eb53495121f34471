"""`opa-comply remediate`: propose fixes for failing findings, approve them, apply them one
resource at a time with verification and automatic rollback, roll them back on request.

Every state a proposal reaches is written to the state store (with its event) and
appended to the evidence ledger. Reads that judge a resource (planning, verifying) use
the collector's read-only credentials; reads and writes of the setting a fix changes use
the remediation credentials of the config's `remediation:` section only.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import secrets
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from compliance_opa import __version__
from compliance_opa.app.approval import decide, policy_modules
from compliance_opa.app.outputs import Evidence, evidence
from compliance_opa.app.recollect import Judged, Located, recollect
from compliance_opa.app.remediation_targets import Targets
from compliance_opa.app.stores import open_configured_store
from compliance_opa.config.load import Config, load_config
from compliance_opa.domain.findings import Finding, Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.engine.binary import binary_version, find_opa_binary
from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.errors import ComplianceError, EngineError, InputError
from compliance_opa.evidence.ledger import append
from compliance_opa.evidence.record import Artifact, Entry
from compliance_opa.state import remediations
from compliance_opa.state.history import stored_report
from compliance_opa.state.remediations import Proposal, shown
from compliance_opa.state.report_codec import loads
from compliance_opa.state.store import StateStore, Transaction, now_iso
from compliance_opa.support.printable import exception_line
from remediators.base import Fixer
from remediators.registry import fixers

# A fix may be rolled back from these states: verified, applied (a run killed before
# verifying), rollback_failed (the automatic rollback failed).
ROLLBACK_FROM = ("verified", "applied", "rollback_failed")
DEFAULT_VERIFY_WAIT = 120.0  # seconds a fix may take to show (RDS applies asynchronously)
VERIFY_POLL_SECONDS = 5.0


class RemediationEvents(Protocol):
    """What a front end is told while fixes are applied."""

    def note(self, line: str) -> None: ...

    def applied(self, proposal: Proposal) -> None:
        """A fix was written and is about to be verified."""


class Quiet:
    def note(self, line: str) -> None:
        pass

    def applied(self, proposal: Proposal) -> None:
        pass


@dataclass(frozen=True)
class Settings:
    config: Path | None = None
    state: str | None = None
    engine: EngineSettings = field(default_factory=EngineSettings)


@dataclass(frozen=True)
class PlanRequest:
    requested_by: str
    scan: str = "latest"
    scope: str | None = None
    checks: tuple[str, ...] = ()  # globs over check ids
    resources: tuple[str, ...] = ()  # globs over resource addresses


@dataclass(frozen=True)
class Skipped:
    check_id: str
    resource: str
    why: str
    failed: bool = False  # a call failed (refused, unreachable): not "nothing to do"


@dataclass(frozen=True)
class PlanOutcome:
    scan_id: str
    proposals: tuple[Proposal, ...]  # made by this plan
    kept: tuple[Proposal, ...]  # already open for the same finding
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class Applied:
    proposal: Proposal  # as it ended
    ok: bool
    detail: str


class _Context:
    """The config, state store, evidence ledger and environment of one command."""

    def __init__(self, settings: Settings, environ: Mapping[str, str]) -> None:
        self.settings = settings
        self.environ = environ
        self.loaded = load_config(settings.config) if settings.config else Config()
        self.evidence: Evidence = evidence(self.loaded, (), environ)
        self.store: StateStore = open_configured_store(settings.state, self.loaded, settings.config)
        self._policy_digest: str | None = None

    @functools.cached_property
    def opa_version(self) -> str:
        """Asked only when a record is written (approving needs no OPA otherwise)."""
        return binary_version(find_opa_binary())

    @property
    def policy_digest(self) -> str:
        """sha256 over the approval policy's modules: which policy decided."""
        if self._policy_digest is None:
            digest = hashlib.sha256()
            for module in policy_modules(self.loaded.remediation.get("approval_policy")):
                digest.update(module.read_bytes())
            self._policy_digest = digest.hexdigest()
        return self._policy_digest

    def record(self, tx: Transaction, proposal_id: str) -> None:
        """Append the proposal's latest event to the evidence ledger, inside the store
        transaction that made it: a ledger that refuses the record undoes the move, so
        the store never holds a state the ledger does not."""
        proposal = remediations.get(tx, proposal_id)
        history = remediations.events(tx, proposal_id)
        last = history[-1]
        body = {
            "kind": "remediation",
            "proposal": _public(proposal),
            "event": asdict(last),
            "sequence": len(history),
        }
        data = json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
        entry = Entry(
            scan_id=f"remediation-{proposal_id}-{len(history)}",
            scope=proposal.scope,
            tool_version=__version__,
            opa_version=self.opa_version,
            policy_digest=proposal.policy_digest,
            snapshot_digests=(),
            findings_digest=hashlib.sha256(data).hexdigest(),
            artifacts=(Artifact("remediation.json", data),),
        )
        append(self.evidence.ledger, entry, self.evidence.signer)

    def close(self) -> None:
        self.store.close()


@contextmanager
def _context(settings: Settings, environ: Mapping[str, str]) -> Iterator[_Context]:
    context = _Context(settings, environ)
    try:
        yield context
    finally:
        context.close()


# ---- plan -------------------------------------------------------------------------


def plan(request: PlanRequest, settings: Settings, environ: Mapping[str, str]) -> PlanOutcome:
    _check_name(request.requested_by, "--requested-by")
    with _context(settings, environ) as ctx:
        with ctx.store.reading() as tx:
            scan_id, text = stored_report(tx, request.scan, request.scope)
        report = loads(text)
        candidates, skipped = _candidates(report, request, fixers(ctx.loaded.parameters))
        kept: list[Proposal] = []
        fresh: list[tuple[Finding, Fixer]] = []
        with ctx.store.reading() as tx:
            for finding, fixer in candidates:
                existing = remediations.open_for(
                    tx, report.scope, finding.check.check_id, finding.resource, scan_id
                )
                if existing is None:
                    fresh.append((finding, fixer))
                else:
                    kept.append(existing)
        if not fresh:
            return PlanOutcome(scan_id, (), tuple(kept), tuple(skipped))
        located = {f.resource: _located(report, f) for f, _ in fresh}
        with open_engine(settings.engine) as client:
            judged = recollect(
                ctx.loaded, environ, client, list(located.values()), ctx.loaded.parameters
            )
        drafts: dict[str, dict[str, Any]] = {}
        with Targets(ctx.loaded, environ) as targets:
            for finding, fixer in fresh:
                now = judged[finding.resource]
                why = _not_fixable(finding.check.check_id, now)
                if why:
                    skipped.append(Skipped(finding.check.check_id, finding.resource, why))
                    continue
                resource = now.resource or {}  # present: _not_fixable said why otherwise
                try:  # one resource that cannot be read is skipped, the others planned
                    target = targets.open(fixer, resource)
                    current = _read(fixer, target, resource)
                    change = fixer.describe(resource, current, fixer.desired(resource, current))
                    live = _call(fixer, "list what it touches", fixer.affected, target, resource)
                except EngineError as exc:
                    why = str(exc)
                    skipped.append(Skipped(finding.check.check_id, finding.resource, why, True))
                    continue
                change = replace(change, blast_radius=(*change.blast_radius, *live))
                proposal_id = f"R-{secrets.token_hex(5)}"
                drafts[proposal_id] = {
                    "finding": finding,
                    "fixer": fixer,
                    "resource": resource,
                    "location": asdict(located[finding.resource]),
                    "change": asdict(change),
                }
        decisions = decide(
            {pid: _policy_input(d, report) for pid, d in drafts.items()},
            ctx.loaded.remediation.get("approval_policy"),
        )
        made: list[Proposal] = []
        for proposal_id, draft in drafts.items():
            decision = decisions[proposal_id]
            finding = draft["finding"]
            now_text = now_iso()
            state = {"deny": "denied", "auto": "approved", "approve": "proposed"}[decision.action]
            proposal = Proposal(
                proposal_id=proposal_id,
                scope=report.scope,
                scan_id=scan_id,
                check_id=finding.check.check_id,
                resource=finding.resource,
                resource_type=finding.resource_type,
                platform=draft["fixer"].platform,
                location=draft["location"],
                change=draft["change"],
                decision=decision.action,
                approvals_needed=decision.approvals,
                reason=decision.reason,
                policy_digest=ctx.policy_digest,
                requested_by=request.requested_by,
                state="proposed",
                before=None,
                created_at=now_text,
                updated_at=now_text,
            )
            with ctx.store.transaction() as tx:
                # Another plan may have proposed the same fix meanwhile: keep its one.
                existing = remediations.open_for(
                    tx, report.scope, proposal.check_id, proposal.resource, scan_id
                )
                if existing is None:
                    remediations.insert(tx, proposal)
                    ctx.record(tx, proposal_id)
            if existing is not None:
                kept.append(existing)
                continue
            if state != "proposed":
                with ctx.store.transaction() as tx:
                    remediations.move(
                        tx,
                        proposal_id,
                        state,
                        "approval-policy",
                        decision.reason,
                        expected=("proposed",),
                    )
                    ctx.record(tx, proposal_id)
            with ctx.store.reading() as tx:
                made.append(remediations.get(tx, proposal_id))
        return PlanOutcome(scan_id, tuple(made), tuple(kept), tuple(skipped))


def _candidates(
    report: ScanReport, request: PlanRequest, known: Mapping[str, Fixer]
) -> tuple[list[tuple[Finding, Fixer]], list[Skipped]]:
    chosen: list[tuple[Finding, Fixer]] = []
    skipped: list[Skipped] = []
    for finding in report.findings_by_severity():
        check_id = finding.check.check_id
        if finding.status is not Status.FAIL:
            continue
        if request.checks and not any(fnmatch.fnmatchcase(check_id, g) for g in request.checks):
            continue
        if request.resources and not any(
            fnmatch.fnmatchcase(finding.resource, g) for g in request.resources
        ):
            continue
        fixer = known.get(check_id)
        if fixer is None:
            continue  # the report suggests a change for these instead
        if finding.resource_type not in fixer.resource_types:
            why = f"the fixer of {check_id} does not handle {finding.resource_type}"
            skipped.append(Skipped(check_id, finding.resource, why))
            continue
        chosen.append((finding, fixer))
    return chosen, skipped


def _located(report: ScanReport, finding: Finding) -> Located:
    facts = report.resources.get(finding.resource)
    if facts is None or not facts.source:
        raise InputError(
            f"{finding.resource}: the scan does not say which source collected it;"
            " remediation needs a scan of a live collection (drift or scan --collect)"
        )
    platform = "aws" if finding.resource_type.startswith("aws_") else "postgres"
    return Located(finding.resource, platform, facts.source)


def _not_fixable(check_id: str, now: Judged) -> str:
    if now.resource is None:
        return "not found where the scan collected it"
    if not now.complete:
        return "its source could not be collected completely just now"
    if check_id not in now.evaluated:
        return "the check no longer judges it"
    if check_id not in now.failing:
        return "no longer failing"
    return ""


def _policy_input(draft: dict[str, Any], report: ScanReport) -> dict[str, Any]:
    finding: Finding = draft["finding"]
    resource: dict[str, Any] = draft["resource"]
    change: dict[str, Any] = draft["change"]
    facts = report.resources.get(finding.resource)
    tags = resource.get("tags") if isinstance(resource.get("tags"), dict) else {}
    return {
        "check_id": finding.check.check_id,
        "severity": finding.check.severity.value,
        "risk": finding.risk,
        "environment": (facts.environment if facts else None) or "",
        "data_classes": list(facts.data_classes) if facts else [],
        "impact": change["impact"],
        "blast_radius": list(change["blast_radius"]),
        "platform": draft["fixer"].platform,
        "resource_type": finding.resource_type,
        "resource": finding.resource,
        "tags": {str(k): str(v) for k, v in (tags or {}).items()},
    }


# ---- approve ----------------------------------------------------------------------


def approve(proposal_id: str, by: str, settings: Settings, environ: Mapping[str, str]) -> Proposal:
    """Record ``by``'s approval; the proposal is approved once it has enough of them."""
    _check_name(by, "--by")
    with _context(settings, environ) as ctx:
        with ctx.store.transaction() as tx:
            proposal = remediations.get(tx, proposal_id)
            if proposal.state == "denied":
                raise InputError(
                    f"{proposal_id}: denied by the approval policy ({proposal.reason})"
                )
            if proposal.state != "proposed":
                raise InputError(f"{proposal_id}: is {proposal.state}, not waiting for approval")
            if same_person(by, proposal.requested_by):
                raise InputError(f"{proposal_id}: {by} requested this fix and cannot approve it")
            if any(same_person(by, earlier) for earlier in proposal.approvers):
                raise InputError(f"{proposal_id}: {by} has already approved it")
            remediations.approve(tx, proposal_id, by)
            count = len(proposal.approvers) + 1
            detail = f"approved by {by} ({count} of {proposal.approvals_needed})"
            if count >= proposal.approvals_needed:
                remediations.move(tx, proposal_id, "approved", by, detail, expected=("proposed",))
            else:
                remediations.add_event(tx, proposal_id, "proposed", by, detail)
            ctx.record(tx, proposal_id)
        with ctx.store.reading() as tx:
            return remediations.get(tx, proposal_id)


# ---- apply ------------------------------------------------------------------------


def apply(
    proposal_ids: Sequence[str],
    actor: str,
    settings: Settings,
    environ: Mapping[str, str],
    events: RemediationEvents | None = None,
    dry_run: bool = False,
) -> list[Applied]:
    """Apply approved proposals (the given ones, else every approved one), one at a time."""
    _check_name(actor, "--by")
    told = events or Quiet()
    with _context(settings, environ) as ctx:
        with ctx.store.reading() as tx:
            if proposal_ids:
                chosen = [remediations.get(tx, pid) for pid in dict.fromkeys(proposal_ids)]
            else:
                chosen = remediations.listed(tx, ("approved",))
        for proposal in chosen:
            if proposal.state != "approved":
                raise InputError(
                    f"{proposal.proposal_id}: is {proposal.state}; only approved fixes are applied"
                    + _waiting(proposal)
                )
        if not chosen:
            return []
        outcomes: list[Applied] = []
        with open_engine(settings.engine) as client, Targets(ctx.loaded, environ) as targets:
            for proposal in chosen:
                outcomes.append(_apply_one(ctx, client, targets, proposal, actor, told, dry_run))
        return outcomes


def _waiting(proposal: Proposal) -> str:
    if proposal.state != "proposed":
        return ""
    return f" (approvals: {len(proposal.approvers)} of {proposal.approvals_needed})"


def _apply_one(
    ctx: _Context,
    client: Evaluator,
    targets: Targets,
    proposal: Proposal,
    actor: str,
    told: RemediationEvents,
    dry_run: bool,
) -> Applied:
    fixer = _fixer(ctx, proposal)
    where = Located(**proposal.location)
    params = ctx.loaded.parameters
    before_judged = recollect(ctx.loaded, ctx.environ, client, [where], params)[where.address]
    why = _not_fixable(proposal.check_id, before_judged)
    if why:
        if dry_run:
            return Applied(proposal, False, f"would not apply: {why}")
        return _end(ctx, proposal, "failed", actor, f"not applied: {why}", ("approved",))
    resource = before_judged.resource or {}  # present: _not_fixable said why otherwise
    target = targets.open(fixer, resource)
    before = _read(fixer, target, resource)
    approved = proposal.change
    desired = approved.get("proposed")  # exactly what was approved is written
    if before != approved.get("current"):
        # The value the approvers saw replaced is not there any more: ask again.
        why = (
            f"the live value changed since the plan ({short_json(approved.get('current'))} then,"
            f" {short_json(before)} now): plan again"
        )
        if dry_run:
            return Applied(proposal, False, f"would not apply: {why}")
        return _end(ctx, proposal, "failed", actor, f"not applied: {why}", ("approved",))
    if dry_run:
        setting = approved.get("setting", "")
        return Applied(
            proposal, True, f"would set {setting}: {short_json(before)} -> {short_json(desired)}"
        )
    # The before-state is in the store before anything is written, so a run killed
    # between the write and the verification can still be rolled back.
    with ctx.store.transaction() as tx:
        remediations.move(
            tx,
            proposal.proposal_id,
            "applied",
            actor,
            f"set {approved.get('setting', '')}",
            expected=("approved",),
            before={"value": before},
        )
        ctx.record(tx, proposal.proposal_id)
    try:
        fixer.write(target, resource, desired)
        targets.commit(target)
    except Exception as exc:  # the write failed: put back whatever it may have changed
        targets.abandon(target)
        detail = f"could not apply: {exception_line(exc)}"
        return _restore_and_fail(ctx, targets, fixer, proposal, resource, before, actor, detail)
    with ctx.store.reading() as tx:
        told.applied(remediations.get(tx, proposal.proposal_id))
    try:
        problem = _verify(ctx, client, where, proposal.check_id, before_judged)
    except Exception as exc:  # not verified is not fixed: undo it
        problem = f"could not be checked: {exception_line(exc)}"
    if problem:
        detail = f"verification failed: {problem}"
        return _restore_and_fail(ctx, targets, fixer, proposal, resource, before, actor, detail)
    return _end(ctx, proposal, "verified", actor, "collected again: the check passes", ("applied",))


def _verify(ctx: _Context, client: Evaluator, where: Located, check_id: str, before: Judged) -> str:
    """What is wrong after the write, "" when nothing. Some APIs apply a change a little
    later (RDS modifications, S3 public access blocks): the resource is collected again
    every few seconds until it passes or `remediation.verify_wait_seconds` is over."""
    wait = float(ctx.loaded.remediation.get("verify_wait_seconds", DEFAULT_VERIFY_WAIT))
    deadline = time.monotonic() + wait
    while True:
        after = recollect(ctx.loaded, ctx.environ, client, [where], ctx.loaded.parameters)
        problem = _verification_problem(check_id, before, after[where.address])
        if not problem or time.monotonic() + VERIFY_POLL_SECONDS > deadline:
            return problem
        time.sleep(VERIFY_POLL_SECONDS)


def _verification_problem(check_id: str, before: Judged, after: Judged) -> str:
    if after.resource is None:
        return "the resource is gone"
    if not after.complete:
        return "its source could not be collected completely"
    if check_id not in after.evaluated:
        return f"{check_id} did not judge it"
    if check_id in after.failing:
        return f"{check_id} still fails"
    newly = sorted(after.failing - before.failing)
    if newly:
        return f"newly failing: {', '.join(newly)}"
    return ""


def _restore_and_fail(
    ctx: _Context,
    targets: Targets,
    fixer: Fixer,
    proposal: Proposal,
    resource: dict[str, Any],
    before: Any,
    actor: str,
    detail: str,
) -> Applied:
    target = targets.open(fixer, resource)
    try:
        fixer.write(target, resource, before)
        targets.commit(target)
        restored = fixer.restored(before, fixer.read(target, resource))
    except Exception as exc:
        targets.abandon(target)
        detail += (
            f"; ROLLBACK FAILED ({exception_line(exc)}): the before-state is kept;"
            f" `opa-comply remediate rollback {proposal.proposal_id}` tries again"
        )
        _end(ctx, proposal, "rollback_failed", actor, detail, ("applied",))
        raise EngineError(f"{proposal.proposal_id}: {detail}") from exc
    with ctx.store.transaction() as tx:
        remediations.add_event(
            tx, proposal.proposal_id, "rolled_back", actor, "before-state written back"
        )
        ctx.record(tx, proposal.proposal_id)
    if not restored:
        detail += "; rolled back, but the setting reads differently from its before-state"
    else:
        detail += "; rolled back to the before-state"
    return _end(ctx, proposal, "failed", actor, detail, ("applied",))


def _end(
    ctx: _Context,
    proposal: Proposal,
    state: str,
    actor: str,
    detail: str,
    expected: tuple[str, ...],
) -> Applied:
    with ctx.store.transaction() as tx:
        remediations.move(tx, proposal.proposal_id, state, actor, detail, expected=expected)
        ctx.record(tx, proposal.proposal_id)
    with ctx.store.reading() as tx:
        return Applied(remediations.get(tx, proposal.proposal_id), state == "verified", detail)


# ---- rollback ---------------------------------------------------------------------


def rollback(
    proposal_id: str, actor: str, settings: Settings, environ: Mapping[str, str]
) -> Proposal:
    """Write back the before-state of an applied fix, if the setting still holds what
    the fix wrote (a later change, or a newer fix, is never overwritten)."""
    _check_name(actor, "--by")
    with _context(settings, environ) as ctx:
        with ctx.store.reading() as tx:
            proposal = remediations.get(tx, proposal_id)
        if proposal.state not in ROLLBACK_FROM or proposal.before is None:
            raise InputError(f"{proposal_id}: is {proposal.state}; only an applied fix rolls back")
        fixer = _fixer(ctx, proposal)
        where = Located(**proposal.location)
        with open_engine(settings.engine) as client:
            now = recollect(ctx.loaded, environ, client, [where], ctx.loaded.parameters)
        judged = now[where.address]
        if judged.resource is None or not judged.complete:
            raise EngineError(
                f"{proposal_id}: {proposal.resource} could not be collected again"
                " (gone, or its source incomplete); nothing written"
            )
        before = proposal.before["value"]
        with Targets(ctx.loaded, environ) as targets:
            target = targets.open(fixer, judged.resource)
            live = _read(fixer, target, judged.resource)
            wrote = proposal.change.get("proposed")
            if proposal.state != "rollback_failed" and live != wrote:
                raise InputError(
                    f"{proposal_id}: the setting changed since the fix"
                    f" ({short_json(wrote)} written, {short_json(live)} now); nothing written"
                )
            try:
                fixer.write(target, judged.resource, before)
                targets.commit(target)
            except Exception as exc:
                targets.abandon(target)
                raise EngineError(
                    f"{proposal_id}: cannot roll back: {exception_line(exc)}"
                ) from exc
            restored = fixer.restored(before, _read(fixer, target, judged.resource))
        detail = "before-state written back"
        if not restored:
            detail += ", but the setting reads differently from it"
        with ctx.store.transaction() as tx:
            remediations.move(tx, proposal_id, "rolled_back", actor, detail, expected=ROLLBACK_FROM)
            ctx.record(tx, proposal_id)
        with ctx.store.reading() as tx:
            return remediations.get(tx, proposal_id)


# ---- list -------------------------------------------------------------------------


def listed(
    settings: Settings, environ: Mapping[str, str], states: Sequence[str] = ()
) -> list[Proposal]:
    unknown = sorted(set(states) - set(remediations.STATES))
    if unknown:
        raise InputError(
            f"--state-is {shown(unknown[0])}: expected one of {', '.join(remediations.STATES)}"
        )
    with _reading(settings) as tx:
        return remediations.listed(tx, states)


def history(
    proposal_id: str, settings: Settings, environ: Mapping[str, str]
) -> tuple[Proposal, list[remediations.Event]]:
    with _reading(settings) as tx:
        return remediations.get(tx, proposal_id), remediations.events(tx, proposal_id)


@contextmanager
def _reading(settings: Settings) -> Iterator[Transaction]:
    """A read-only view of the store, without the ledger or OPA a change needs."""
    loaded = load_config(settings.config) if settings.config else Config()
    with (
        open_configured_store(settings.state, loaded, settings.config) as store,
        store.reading() as tx,
    ):
        yield tx


# ---- helpers ----------------------------------------------------------------------


def _public(proposal: Proposal) -> dict[str, Any]:
    """The proposal as evidence: its before-state as a digest (it may be large)."""
    body = asdict(proposal)
    before = body.pop("before")
    body["before_sha256"] = (
        None
        if before is None
        else hashlib.sha256(json.dumps(before, sort_keys=True).encode()).hexdigest()
    )
    return body


def _fixer(ctx: _Context, proposal: Proposal) -> Fixer:
    known = fixers(ctx.loaded.parameters)
    if proposal.check_id not in known:
        raise InputError(
            f"{proposal.proposal_id}: this version has no fixer of {proposal.check_id}"
        )
    return known[proposal.check_id]


def same_person(one: str, other: str) -> bool:
    """Names compare case- and width-insensitively: "Alice" is alice."""
    return (
        unicodedata.normalize("NFKC", one).casefold()
        == unicodedata.normalize("NFKC", other).casefold()
    )


def _read(fixer: Fixer, target: Any, resource: dict[str, Any]) -> Any:
    return _call(fixer, "read the current value", fixer.read, target, resource)


def _call(fixer: Fixer, what: str, step: Any, target: Any, resource: dict[str, Any]) -> Any:
    """A fixer's read; a refused or failed call is one line (exit 3), never a traceback."""
    try:
        return step(target, resource)
    except ComplianceError:
        raise
    except Exception as exc:
        raise EngineError(
            f"{fixer.check_id}: {resource.get('address')}: cannot {what}: {exception_line(exc)}"
        ) from exc


def _check_name(name: str, option: str) -> None:
    if not name or len(name) > 128 or not name.isprintable() or name != name.strip():
        raise InputError(
            f"{option} {shown(name)}: expected a printable name of at most 128 characters"
        )


def short_json(value: Any, limit: int = 200) -> str:
    """A value as JSON on one line, cut to ``limit`` characters (messages, listings)."""
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."
