"""Asking the approval policy (Rego, on the real OPA) how each proposed fix may proceed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance_opa.engine.binary import find_opa_binary
from compliance_opa.engine.oneshot import evaluate_once
from compliance_opa.errors import EngineError, InputError
from compliance_opa.support.bundled import remediation_policy_dir

PACKAGE = "data.opa_comply.remediation.approval"
ACTIONS = ("auto", "approve", "deny")
MAX_APPROVALS = 10

# Each proposal judged alone, as `input.proposal`, in one run of OPA for them all.
_QUERY = (
    "{id: d | some id, p in input.proposals;"
    f' d := {PACKAGE}.decision with input as {{"proposal": p}}}}'
)


@dataclass(frozen=True)
class Decision:
    action: str  # auto | approve | deny
    approvals: int  # distinct approvers needed (approve), else 0
    reason: str


def policy_modules(configured: str | None) -> list[Path]:
    """The approval policy's .rego files: the config's `remediation.approval_policy` (a
    file or folder), else the bundled default."""
    where = Path(configured) if configured else remediation_policy_dir()
    if where.is_file():
        return [where]
    if where.is_dir():
        found = sorted(p for p in where.rglob("*.rego") if not p.name.endswith("_test.rego"))
        if found:
            return found
        raise InputError(f"remediation.approval_policy {where}: no .rego file in it")
    raise InputError(f"remediation.approval_policy {where}: no such file or folder")


def decide(proposals: Mapping[str, dict[str, Any]], configured: str | None) -> dict[str, Decision]:
    """The decision of each proposal (keyed as given). A proposal the policy gives no
    decision, or one of another shape, is denied: an unclear answer never lets a fix run."""
    if not proposals:
        return {}
    answer = evaluate_once(
        find_opa_binary(), policy_modules(configured), _QUERY, {"proposals": dict(proposals)}
    )
    if answer is not None and not isinstance(answer, dict):
        raise EngineError("approval policy: the answer is not an object")
    decided = answer or {}
    return {key: _decision(decided.get(key)) for key in proposals}


def _decision(value: Any) -> Decision:
    if value is None:
        return Decision("deny", 0, "the approval policy gave no decision")
    if not isinstance(value, dict) or value.get("action") not in ACTIONS:
        return Decision("deny", 0, "the approval policy's decision has no known action")
    action = str(value["action"])
    reason = value.get("reason")
    reason = reason[:300] if isinstance(reason, str) else ""
    if action != "approve":
        return Decision(action, 0, reason)
    count = value.get("approvals")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_APPROVALS:
        return Decision("deny", 0, f"the approval policy asked for {count!r} approvers")
    return Decision(action, count, reason)
