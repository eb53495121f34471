"""Remediation proposals, their approvals and every state they pass through.

A proposal is one fix of one failing finding (scope, check, resource). Its state moves
proposed -> approved -> applied -> verified, or to denied (by the approval policy),
failed (verification failed and the fix was rolled back automatically, or the fix could
not be applied), rollback_failed (the automatic rollback itself failed: the before-state
is kept and `remediate rollback` tries again) or rolled_back (undone on request). Each
move is a row of `remediation_events`, written in the same transaction as the new state,
and only from the states the caller expects, so the history and the state never disagree
and two runs cannot both move one proposal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from compliance_opa.errors import InputError
from compliance_opa.state.store import Transaction, now_iso

# States a proposal can still leave; a new plan of the same finding reuses an open one.
OPEN_STATES = ("proposed", "approved", "applied", "rollback_failed")
STATES = (*OPEN_STATES, "verified", "denied", "failed", "rolled_back")

_COLUMNS = (
    "proposal_id, scope, scan_id, check_id, resource, resource_type, platform, location,"
    " change, decision, approvals_needed, reason, policy_digest, requested_by, state,"
    " before_value,"
    " created_at, updated_at"
)


@dataclass(frozen=True)
class Proposal:
    proposal_id: str
    scope: str
    scan_id: str
    check_id: str
    resource: str
    resource_type: str
    platform: str  # aws | postgres
    location: dict[str, Any]  # where to collect it again: account/region/service or database
    change: dict[str, Any]  # remediators.base.Change as JSON
    decision: str  # auto | approve | deny
    approvals_needed: int
    reason: str  # why the approval policy decided so
    policy_digest: str  # sha256 of the approval policy's modules that decided
    requested_by: str
    state: str
    # {"value": v}: the live value captured before applying (v may be None: absent);
    # None until a fix was applied
    before: dict[str, Any] | None
    created_at: str
    updated_at: str
    approvers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    proposal_id: str
    at: str
    state: str
    actor: str
    detail: str


def shown(value: str, limit: int = 60) -> str:
    """A value a user gave, for a one-line message: as given when short and printable,
    else quoted with its controls escaped, and cut short."""
    if value.isprintable() and len(value) <= limit:
        return value
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def insert(tx: Transaction, proposal: Proposal) -> None:
    tx.execute(
        f"INSERT INTO remediations ({_COLUMNS}) VALUES"  # noqa: S608 - fixed column names
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            proposal.proposal_id,
            proposal.scope,
            proposal.scan_id,
            proposal.check_id,
            proposal.resource,
            proposal.resource_type,
            proposal.platform,
            json.dumps(proposal.location, sort_keys=True),
            json.dumps(proposal.change, sort_keys=True),
            proposal.decision,
            proposal.approvals_needed,
            proposal.reason,
            proposal.policy_digest,
            proposal.requested_by,
            proposal.state,
            None,
            proposal.created_at,
            proposal.updated_at,
        ),
    )
    add_event(tx, proposal.proposal_id, proposal.state, proposal.requested_by, proposal.reason)


def get(tx: Transaction, proposal_id: str) -> Proposal:
    found = _select(tx, "WHERE proposal_id = ?", (proposal_id,))
    if not found:
        raise InputError(
            f"remediation {shown(proposal_id)}: no such proposal (see `remediate list`)"
        )
    return found[0]


def open_for(
    tx: Transaction, scope: str, check_id: str, resource: str, scan_id: str
) -> Proposal | None:
    """The proposal of this finding still in progress, or denied for this same scan (a
    later scan asks the policy again: it or the resource may have changed)."""
    marks = ", ".join("?" for _ in OPEN_STATES)
    found = _select(
        tx,
        f"WHERE scope = ? AND check_id = ? AND resource = ?"
        f" AND (state IN ({marks}) OR (state = 'denied' AND scan_id = ?))",
        (scope, check_id, resource, *OPEN_STATES, scan_id),
    )
    return found[0] if found else None


def listed(tx: Transaction, states: Sequence[str] = ()) -> list[Proposal]:
    if not states:
        return _select(tx, "", ())
    marks = ", ".join("?" for _ in states)
    return _select(tx, f"WHERE state IN ({marks})", tuple(states))


def approve(tx: Transaction, proposal_id: str, approver: str) -> None:
    tx.execute(
        "INSERT INTO remediation_approvals (proposal_id, approver, approved_at) VALUES (?, ?, ?)",
        (proposal_id, approver, now_iso()),
    )


def move(
    tx: Transaction,
    proposal_id: str,
    state: str,
    actor: str,
    detail: str,
    *,
    expected: Sequence[str],
    before: dict[str, Any] | None = None,
) -> None:
    """A new state and its event, only from one of the ``expected`` states (read under the
    transaction's write lock: a concurrent run that got there first makes this an
    InputError); ``before`` ({"value": v}) is stored when given."""
    if state not in STATES:
        raise ValueError(state)
    now = get(tx, proposal_id).state
    if now not in expected:
        raise InputError(f"{proposal_id}: is {now} now, not {' or '.join(expected)} (another run?)")
    if before is not None:
        tx.execute(
            "UPDATE remediations SET state = ?, before_value = ?, updated_at = ?"
            " WHERE proposal_id = ?",
            (state, json.dumps(before, sort_keys=True), now_iso(), proposal_id),
        )
    else:
        tx.execute(
            "UPDATE remediations SET state = ?, updated_at = ? WHERE proposal_id = ?",
            (state, now_iso(), proposal_id),
        )
    add_event(tx, proposal_id, state, actor, detail)


def add_event(tx: Transaction, proposal_id: str, state: str, actor: str, detail: str) -> None:
    tx.execute(
        "INSERT INTO remediation_events (proposal_id, at, state, actor, detail)"
        " VALUES (?, ?, ?, ?, ?)",
        (proposal_id, now_iso(), state, actor, detail),
    )


def events(tx: Transaction, proposal_id: str) -> list[Event]:
    rows = tx.rows(
        "SELECT proposal_id, at, state, actor, detail FROM remediation_events"
        " WHERE proposal_id = ? ORDER BY seq",
        (proposal_id,),
    )
    return [Event(*(str(v) for v in row)) for row in rows]


def _select(tx: Transaction, where: str, params: tuple[Any, ...]) -> list[Proposal]:
    rows = tx.rows(
        f"SELECT {_COLUMNS} FROM remediations {where} ORDER BY created_at, proposal_id",  # noqa: S608 - placeholders only
        params,
    )
    approvals: dict[str, list[str]] = {}
    for proposal_id, approver in tx.rows(
        "SELECT proposal_id, approver FROM remediation_approvals ORDER BY approved_at, approver"
    ):
        approvals.setdefault(str(proposal_id), []).append(str(approver))
    found = []
    for row in rows:
        values = list(row)
        values[7] = json.loads(values[7])  # location
        values[8] = json.loads(values[8])  # change
        values[10] = int(values[10])
        values[15] = None if values[15] is None else json.loads(values[15])
        names = [n.strip() for n in _COLUMNS.split(",")]
        fields = dict(zip(names, values, strict=True))
        fields["before"] = fields.pop("before_value")
        found.append(Proposal(**fields, approvers=tuple(approvals.get(str(row[0]), ()))))
    return found
