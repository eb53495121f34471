"""The validation API's decision log: what was decided, for whom, on which policies.

Never the resource: its digest (canonical JSON), its type, and a digest of its address
(addresses can name people: a bucket called after a customer)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from compliance_opa.state.store import Transaction


@dataclass(frozen=True)
class Decision:
    decision_id: str
    decided_at: str
    caller: str  # the token's name
    endpoint: str  # validate | plans
    address: str  # hashed before it is stored
    resource_type: str
    resource_digest: str
    verdict: str
    policy_digest: str
    opa_version: str


def address_digest(address: str) -> str:
    return hashlib.sha256(address.encode("utf-8")).hexdigest()


def record_decisions(tx: Transaction, decisions: Sequence[Decision]) -> None:
    for d in decisions:
        tx.execute(
            "INSERT INTO decisions (decision_id, decided_at, caller, endpoint, address_digest,"
            " resource_type, resource_digest, verdict, policy_digest, opa_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                d.decision_id,
                d.decided_at,
                d.caller,
                d.endpoint,
                address_digest(d.address),
                d.resource_type,
                d.resource_digest,
                d.verdict,
                d.policy_digest,
                d.opa_version,
            ),
        )


def decisions_of(tx: Transaction, decision_id: str) -> list[tuple[str, ...]]:
    """The stored rows of one decision (resource type, digests, verdict...), in order."""
    return [
        tuple(str(v) for v in row)
        for row in tx.rows(
            "SELECT decided_at, caller, endpoint, address_digest, resource_type,"
            " resource_digest, verdict, policy_digest, opa_version FROM decisions"
            " WHERE decision_id = ? ORDER BY seq",
            (decision_id,),
        )
    ]
