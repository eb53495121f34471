"""The run task's result document (app/run_task.py): what we PATCH to HCP Terraform is
valid against the documented schema (the platform double's), within our caps, and no
resource name from the plan can act as Markdown or HTML in an outcome's body."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pytest

from compliance_opa.app.run_task import (
    MAX_BODY_BYTES,
    MAX_DESCRIPTION_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_OUTCOMES,
    Gate,
    TaskRequest,
    outcome_of,
    progress_document,
    result_document,
    unjudged,
)
from compliance_opa.domain.findings import Severity, Status
from tests.report_builder import check, finding, report
from tests.tfc_double import _VALIDATOR, RECOMMENDED_PATCH_BYTES

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "[click me](https://evil.example/steal)",
    "![pixel](https://evil.example/p.png)",
    "@security-team",
    "`code` and ``more``",
    "<!-- hide the rest",
    "aws_s3_bucket.x\n# Injected heading\n- item",
    "name\r\x1b[2Jwiped",
    "| a | b |",
    "https://evil.example/raw-link",
]


def _errors(document: object) -> list[str]:
    return [e.message for e in _VALIDATOR.iter_errors(document)]


def test_hostile_resource_names_are_escaped_in_the_body() -> None:
    c = check("aws_s3_public", Severity.HIGH)
    findings = [finding(c, name, message=f"msg {name}") for name in HOSTILE]
    outcome = outcome_of(report({c.check_id: HOSTILE}, findings), Gate("high"))
    [attributes] = outcome.outcomes
    body = attributes["body"]
    assert "<img" not in body
    assert "<!--" not in body
    assert "](https://" not in body
    assert "\x1b" not in body
    assert "\r" not in body
    assert "\n# Injected" not in body  # the newline is shown escaped, never a new block
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "\\[click me\\]" in body
    assert "@&#8203;security-team" in body  # nobody is pinged
    assert "\\|" in body
    assert len(body.splitlines()) == 6 + len(HOSTILE) + 4  # one line per resource
    assert _errors(result_document(outcome, "https://compliance.example.com/run-tasks/1")) == []


def test_failed_at_or_above_fail_on_with_tags_and_counts() -> None:
    high, low = check("c_high", Severity.HIGH), check("c_low", Severity.LOW)
    findings = [finding(high, "a"), finding(high, "b"), finding(low, "a")]
    outcome = outcome_of(report({"c_high": ["a", "b"], "c_low": ["a"]}, findings), Gate("high"))
    assert outcome.status == "failed"
    assert outcome.counts["high"] == 2
    assert outcome.counts["low"] == 1
    assert outcome.counts["gating"] == 2
    assert outcome.message.startswith("opa-comply: 3 failing findings (2 high, 1 low)")
    tags = {o["outcome-id"]: o["tags"] for o in outcome.outcomes}
    assert tags["c_high"]["Status"] == [{"label": "Failed", "level": "error"}]
    assert tags["c_high"]["Severity"] == [{"label": "High", "level": "error"}]
    assert tags["c_low"]["Status"] == [{"label": "Failed", "level": "warning"}]
    assert tags["c_low"]["Severity"] == [{"label": "Low", "level": "info"}]
    described = {o["outcome-id"]: o["description"] for o in outcome.outcomes}
    assert described["c_high"] == "c_high: title of c_high"
    assert _errors(result_document(outcome, None)) == []


@pytest.mark.parametrize(
    ("gate", "status", "says"),
    [
        (Gate("critical"), "passed", "0 at or above critical; passed"),
        (Gate("none"), "passed", "fail-on none: nothing fails the run"),
        (Gate("high", advisory=True), "passed", "advisory: passed (would have failed)"),
        (Gate("medium"), "failed", "1 at or above medium; failed"),
    ],
)
def test_fail_on_and_advisory(gate: Gate, status: str, says: str) -> None:
    c = check("c", Severity.HIGH)
    outcome = outcome_of(report({"c": ["a"]}, [finding(c, "a")]), gate)
    assert outcome.status == status
    assert says in outcome.message


def test_waived_and_indeterminate_findings_neither_fail_nor_become_outcomes() -> None:
    c = check("c", Severity.CRITICAL)
    findings = [finding(c, "a", Status.INDETERMINATE), finding(c, "b", Status.WAIVED)]
    outcome = outcome_of(report({"c": ["a", "b"]}, findings), Gate("low"))
    assert outcome.status == "passed"
    assert outcome.outcomes == []
    assert "relationships" not in result_document(outcome, None)["data"]


def test_many_checks_and_resources_stay_within_the_caps() -> None:
    checks = [check(f"check_{i:03}", Severity.CRITICAL) for i in range(MAX_OUTCOMES + 40)]
    long_names = [f"module.m{'x' * 300}.aws_s3_bucket.b[{i}]" for i in range(400)]
    findings = [
        finding(c, name, message="m" * 1000, risk=90) for c in checks for name in long_names[:40]
    ]
    findings += [finding(checks[0], name) for name in long_names[40:]]
    evaluated: dict[str, Iterable[str]] = {c.check_id: long_names for c in checks}
    outcome = outcome_of(report(evaluated, findings), Gate("high"))
    document = result_document(outcome, "https://compliance.example.com/run-tasks/1")
    assert _errors(document) == []
    items = document["data"]["relationships"]["outcomes"]["data"]
    assert len(items) == MAX_OUTCOMES
    assert "40 more failing checks not listed" in outcome.message
    assert len(outcome.message) <= MAX_MESSAGE_CHARS
    for item in items:
        attributes = item["attributes"]
        assert len(attributes["body"].encode()) <= MAX_BODY_BYTES
        assert len(attributes["description"]) <= MAX_DESCRIPTION_CHARS
    assert "more (see the opa-comply page)" in items[0]["attributes"]["body"]
    assert len(json.dumps(document).encode()) < RECOMMENDED_PATCH_BYTES


def test_multibyte_names_are_cut_on_a_character_boundary() -> None:
    c = check("c", Severity.HIGH)
    names = ["\u00e9\u4e2d\U0001f600" * 200 + str(i) for i in range(60)]
    outcome = outcome_of(report({"c": names}, [finding(c, n) for n in names]), Gate("high"))
    body = outcome.outcomes[0]["body"]
    assert len(body.encode("utf-8")) <= MAX_BODY_BYTES
    body.encode("utf-8").decode("utf-8")  # whole characters only


def test_messages_are_one_short_line() -> None:
    outcome = unjudged("line one\nline two\r" + "x" * 2000)
    assert outcome.status == "failed"
    assert "\n" not in outcome.message
    assert len(outcome.message) <= MAX_MESSAGE_CHARS
    assert _errors(result_document(outcome, None)) == []
    progress = progress_document("judging\nthe plan", "https://c.example/run-tasks/1")
    assert progress["data"]["attributes"]["status"] == "running"
    assert _errors(progress) == []


def test_the_request_keeps_its_token_out_of_repr() -> None:
    task = TaskRequest.from_payload(
        {
            "payload_version": 1,
            "access_token": "secret-token-value",
            "task_result_callback_url": "https://app.terraform.io/api/v2/task-results/x/callback",
            "plan_json_api_url": "https://app.terraform.io/api/v2/plans/p/json-output",
            "run_id": "run-1",
        }
    )
    assert "secret-token-value" not in repr(task)
    assert "callback" not in repr(task)
    assert not task.verification
    assert TaskRequest.from_payload({"access_token": "test-token"}).verification
