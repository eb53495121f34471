"""The approval policy's answer, read on the real OPA: the default policy's decisions, a
user's policy in place of it, and every unclear answer denied (fail closed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliance_opa.app.approval import Decision, decide, policy_modules
from compliance_opa.errors import EngineError, InputError

BASE: dict[str, Any] = {
    "check_id": "AWS-S3-004",
    "severity": "medium",
    "risk": 10,
    "environment": "dev",
    "data_classes": [],
    "impact": "resource",
    "blast_radius": [],
    "platform": "aws",
    "resource_type": "aws_s3_bucket",
    "resource": "arn:aws:s3:::b",
    "tags": {},
}


@pytest.fixture(autouse=True)
def _opa(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import opa_binary

    monkeypatch.setenv("OPA_BINARY", str(opa_binary()))


def test_the_default_policy_decides_each_proposal_on_its_own() -> None:
    decided = decide(
        {
            "a": BASE,
            "b": {**BASE, "environment": "production", "data_classes": ["phi"]},
            "c": {**BASE, "tags": {"opa-comply:remediation": "manual"}},
        },
        None,
    )
    assert decided == {
        "a": Decision(
            "auto", 0, "non-production, resource-only, unclassified, medium or low severity"
        ),
        "b": Decision("approve", 2, "production change on classified data"),
        "c": Decision("deny", 0, "resource tagged opa-comply:remediation=manual"),
    }


def _policy(tmp_path: Path, body: str) -> str:
    path = tmp_path / "approval.rego"
    path.write_text(f"package opa_comply.remediation.approval\n\n{body}\n")
    return str(path)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("x := 1", "the approval policy gave no decision"),
        ('decision := "yes"', "the approval policy's decision has no known action"),
        ('decision := {"action": "merge"}', "the approval policy's decision has no known action"),
        ('decision := {"action": "approve"}', "the approval policy asked for None approvers"),
        ('decision := {"action": "approve", "approvals": 0}', "asked for 0 approvers"),
        ('decision := {"action": "approve", "approvals": 11}', "asked for 11 approvers"),
        ('decision := {"action": "approve", "approvals": true}', "asked for True approvers"),
        ('decision := {"action": "approve", "approvals": 1.5}', "asked for 1.5 approvers"),
    ],
)
def test_an_unclear_answer_is_a_denial(tmp_path: Path, body: str, reason: str) -> None:
    (decided,) = decide({"p": BASE}, _policy(tmp_path, body)).values()
    assert decided.action == "deny"
    assert reason in decided.reason


def test_a_users_policy_replaces_the_default(tmp_path: Path) -> None:
    body = (
        'decision := {"action": "approve", "approvals": 3, "reason": "change board"}'
        ' if input.proposal.platform == "aws"'
    )
    decided = decide({"aws": BASE, "pg": {**BASE, "platform": "postgres"}}, _policy(tmp_path, body))
    assert decided["aws"] == Decision("approve", 3, "change board")
    assert decided["pg"].action == "deny"  # undefined for it: denied, never automatic


def test_a_policy_that_does_not_compile_names_its_file(tmp_path: Path) -> None:
    path = _policy(tmp_path, "decision := {")
    with pytest.raises(InputError) as caught:
        decide({"p": BASE}, path)
    assert str(caught.value).startswith(f"approval policy: {path}:")
    assert "\n" not in str(caught.value)


def test_a_policy_that_fails_at_evaluation_is_an_engine_error(tmp_path: Path) -> None:
    body = 'decision := {"action": "auto", "approvals": 0, "reason": x} if x := 1 / 0'
    with pytest.raises(EngineError, match="opa eval"):
        decide({"p": BASE}, _policy(tmp_path, body))


def test_conflicting_decisions_are_an_engine_error(tmp_path: Path) -> None:
    body = 'decision := {"action": "auto"}\n\ndecision := {"action": "deny"} if true'
    with pytest.raises(EngineError, match=r"opa eval: .*conflict"):
        decide({"p": BASE}, _policy(tmp_path, body))


def test_policy_locations(tmp_path: Path) -> None:
    assert [p.name for p in policy_modules(None)] == ["approval.rego"]  # tests left out
    with pytest.raises(InputError, match="no such file or folder"):
        policy_modules(str(tmp_path / "missing"))
    with pytest.raises(InputError, match=r"no \.rego file in it"):
        policy_modules(str(tmp_path))
