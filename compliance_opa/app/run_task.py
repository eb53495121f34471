"""The HCP Terraform / Terraform Enterprise run task: the payload the platform posts, a
fetched plan judged as `opa-comply plan` judges it, and the `task-results` document we
send back. No I/O here but OPA (through judge_plan): the service fetches and calls back.

The protocol, from HashiCorp's published documentation (web-unified-docs,
content/terraform-docs-common/docs/cloud-docs/api-docs/run-tasks/run-tasks-integration.mdx,
"Run tasks integration API", and .../integrations/run-tasks/index.mdx; plans.mdx for the
plan JSON):

- Request: `POST <our url>`, `Content-Type: application/json`, header
  `X-TFC-Task-Signature`: hex HMAC-SHA512 of the body with the run task's HMAC key (an
  empty string when none is configured). Body fields: payload_version (integer, only 1),
  stage (pre_plan | post_plan | pre_apply | post_apply), access_token, capabilities
  .outcomes (bool), configuration_version_download_url, configuration_version_id,
  is_speculative (bool), organization_name, run_app_url, run_created_at, run_created_by,
  run_id, run_message, task_result_callback_url, task_result_enforcement_level
  (mandatory | advisory), task_result_id, vcs_branch, vcs_commit_url,
  vcs_pull_request_url, vcs_repo_url (the vcs_* may be null), workspace_app_url,
  workspace_id, workspace_name, workspace_working_directory; and plan_json_api_url for
  post_plan, pre_apply and post_apply. We must answer 200 or the platform retries.
  Creating a run task sends a test POST that must be answered 200; its access_token is
  "test-token" (no run behind it: we answer and call nobody).
- Plan: `GET plan_json_api_url` with `Authorization: Bearer <access_token>` answers
  204 (plan not finished), 307 to a temporary pre-authenticated archivist URL (1 minute
  life) holding the plan JSON, or 422.
- Callback: `PATCH task_result_callback_url`, `Authorization: Bearer <access_token>`,
  JSON:API (`Content-Type: application/vnd.api+json`), body `{"data": {"type":
  "task-results", "attributes": {"status", "message", "url"}, "relationships":
  {"outcomes": {"data": [{"type": "task-result-outcomes", "attributes": {"outcome-id",
  "description", "body", "url", "tags"}}]}}}}`. status: passed | failed | running only
  (others are 422); passed and failed are final, running may be sent several times.
  message: "a short message"; description: "a one-line description"; body: Markdown,
  "we recommend limiting messages to under 1MB with a maximum allowable limit of 5MB";
  tags: {name: [{"label", "level"}]}, level none | info | warning | error, names
  "Status" and "Severity" get special display. Answers: 200, 401, 422.
- Deadline: "The request errors if HCP Terraform does not receive a progress update
  within 10 minutes or if the request runs for more than 60 minutes."

The documentation gives no number for message and description: the caps below are ours
(a short line each), as are the count of outcomes and the per-body cap, chosen so the
whole PATCH stays under the recommended 1 MB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance_opa.app.validate import judge_plan
from compliance_opa.domain.findings import Finding, Severity, Status
from compliance_opa.domain.report import ScanReport, breaches
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.reports.markdown import text
from compliance_opa.support.printable import printable

VERIFICATION_TOKEN = "test-token"  # noqa: S105 - the platform's documented test value
RESULT_STATUSES = ("passed", "failed", "running")
TAG_LEVELS = ("none", "info", "warning", "error")
MAX_MESSAGE_CHARS = 500  # ours: "a short message"
MAX_DESCRIPTION_CHARS = 200  # ours: "a one-line description"
MAX_OUTCOMES = 100  # ours: more failing checks are counted in the message
MAX_BODY_BYTES = 8 * 1024  # ours, per outcome: 100 x 8 KiB stays under the 1 MB advised
MAX_RESOURCES_LISTED = 50  # per outcome body; the dashboard page lists them all
_STAGES = ("pre_plan", "post_plan", "pre_apply", "post_apply")
_TEXT = {"type": "string", "maxLength": 4096}
_URL = {"type": "string", "minLength": 1, "maxLength": 4096}
_NULLABLE = {"type": ["string", "null"], "maxLength": 4096}

# The fields we read, checked before anything is queued; others pass unread.
PAYLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["payload_version", "access_token"],
    "properties": {
        "payload_version": {"const": 1},
        "access_token": {"type": "string", "minLength": 1, "maxLength": 4096},
        "stage": {"enum": list(_STAGES)},
        "is_speculative": {"type": "boolean"},
        "task_result_id": _TEXT,
        "task_result_enforcement_level": {"enum": ["mandatory", "advisory"]},
        "task_result_callback_url": _URL,
        "plan_json_api_url": _URL,
        "run_app_url": _NULLABLE,
        "run_id": _TEXT,
        "run_message": _NULLABLE,
        "run_created_at": _NULLABLE,
        "run_created_by": _NULLABLE,
        "workspace_id": _TEXT,
        "workspace_name": _TEXT,
        "workspace_app_url": _NULLABLE,
        "organization_name": _TEXT,
        "vcs_branch": _NULLABLE,
        "vcs_commit_url": _NULLABLE,
        "vcs_pull_request_url": _NULLABLE,
        "vcs_repo_url": _NULLABLE,
    },
    # A real run (any token but the test one) names everything we need to do the work.
    "if": {"properties": {"access_token": {"not": {"const": VERIFICATION_TOKEN}}}},
    "then": {
        "required": [
            "stage",
            "task_result_id",
            "task_result_callback_url",
            "run_id",
            "workspace_id",
            "workspace_name",
            "organization_name",
        ]
    },
}


@dataclass(frozen=True)
class TaskRequest:
    """A run task request as we use it (from a payload PAYLOAD_SCHEMA accepted)."""

    access_token: str = field(repr=False)  # never printed, logged or stored
    stage: str
    task_result_id: str
    callback_url: str = field(repr=False)
    plan_url: str | None = field(repr=False)
    run_id: str
    run_app_url: str
    workspace_id: str
    workspace_name: str
    organization: str
    speculative: bool
    enforcement_level: str

    @property
    def verification(self) -> bool:
        return self.access_token == VERIFICATION_TOKEN

    @classmethod
    def from_payload(cls, body: dict[str, Any]) -> TaskRequest:
        def s(name: str) -> str:
            value = body.get(name)
            return value if isinstance(value, str) else ""

        return cls(
            access_token=s("access_token"),
            stage=s("stage"),
            task_result_id=s("task_result_id"),
            callback_url=s("task_result_callback_url"),
            plan_url=body.get("plan_json_api_url"),
            run_id=s("run_id"),
            run_app_url=s("run_app_url"),
            workspace_id=s("workspace_id"),
            workspace_name=s("workspace_name"),
            organization=s("organization_name"),
            speculative=bool(body.get("is_speculative", False)),
            enforcement_level=s("task_result_enforcement_level") or "mandatory",
        )


@dataclass(frozen=True)
class Gate:
    fail_on: str = "high"  # a severity, or "none": nothing fails the run
    advisory: bool = False  # findings reported, the result always passed


@dataclass(frozen=True)
class TaskOutcome:
    """What we tell the platform, and keep in our history."""

    status: str  # passed | failed
    message: str
    counts: dict[str, int]
    outcomes: list[dict[str, Any]]  # attributes of each task-result-outcome
    report: ScanReport | None = None


def judge(
    raw: bytes,
    evaluator: Evaluator,
    gate: Gate,
    parameters: dict[str, Any] | None = None,
    threshold: float | None = None,
    link: str | None = None,
) -> TaskOutcome:
    """The fetched plan JSON judged (InputError when it is not a plan), and the result:
    failed when a failing finding is at or above fail_on, unless advisory."""
    report = judge_plan(Path("plan JSON"), raw, evaluator, (), parameters, threshold)
    return outcome_of(report, gate, link)


def outcome_of(report: ScanReport, gate: Gate, link: str | None = None) -> TaskOutcome:
    fail_on = None if gate.fail_on == "none" else Severity(gate.fail_on)
    failing = [f for f in report.findings if f.status is Status.FAIL]
    gating = [f for f in failing if fail_on is not None and f.check.severity.rank >= fail_on.rank]
    breached = breaches(report, fail_on)
    counts = {s.value: 0 for s in reversed(Severity)}
    for f in failing:
        counts[f.check.severity.value] += 1
    counts["failing"] = len(failing)
    counts["gating"] = len(gating)
    counts["resources"] = len({a for r in report.results for a in r.evaluated})
    counts["checks"] = len(report.results)
    by_check: dict[str, list[Finding]] = {}
    for f in report.findings_by_severity():
        if f.status is Status.FAIL:
            by_check.setdefault(f.check.check_id, []).append(f)
    shown = list(by_check.values())[:MAX_OUTCOMES]
    outcomes = [_outcome(findings, fail_on, link) for findings in shown]
    status = "failed" if breached and not gate.advisory else "passed"
    message = _message(counts, fail_on, breached, gate.advisory, len(by_check) - len(shown))
    return TaskOutcome(status, message, counts, outcomes, report)


def unjudged(why: str) -> TaskOutcome:
    """A plan we could not judge: failed (never passed on what we did not see)."""
    return TaskOutcome("failed", clip(f"opa-comply could not judge the plan: {why}"), {}, [])


def _message(
    counts: dict[str, int], fail_on: Severity | None, breached: bool, advisory: bool, hidden: int
) -> str:
    severities = ", ".join(
        f"{counts[s.value]} {s.value}" for s in reversed(Severity) if counts[s.value]
    )
    found = f"{counts['failing']} failing finding{'s' if counts['failing'] != 1 else ''}"
    found += f" ({severities})" if severities else ""
    scope = f" in {counts['resources']} resources checked by {counts['checks']} checks"
    if fail_on is None:
        gate = "fail-on none: nothing fails the run"
    else:
        gate = f"{counts['gating']} at or above {fail_on.value}"
    verdict = "failed" if breached else "passed"
    if advisory:
        verdict = f"advisory: passed (would have {verdict})" if breached else "advisory: passed"
    more = f"; {hidden} more failing checks not listed" if hidden else ""
    return clip(f"opa-comply: {found}{scope}; {gate}; {verdict}{more}")


def _outcome(
    findings: Sequence[Finding], fail_on: Severity | None, link: str | None
) -> dict[str, Any]:
    check = findings[0].check
    gating = fail_on is not None and check.severity.rank >= fail_on.rank
    attributes: dict[str, Any] = {
        "outcome-id": clip(check.check_id, 100),
        "description": clip(f"{check.check_id}: {check.title}", MAX_DESCRIPTION_CHARS),
        "body": outcome_body(findings),
        "tags": {
            "Status": [
                {"label": "Failed", "level": "error" if gating else "warning"},
            ],
            "Severity": [
                {"label": check.severity.value.capitalize(), "level": severity_level(check)},
            ],
        },
    }
    if link:
        attributes["url"] = link
    return attributes


def severity_level(check: Any) -> str:
    severity: Severity = check.severity
    if severity.rank >= Severity.HIGH.rank:
        return "error"
    if severity is Severity.MEDIUM:
        return "warning"
    return "info"


def outcome_body(findings: Sequence[Finding]) -> str:
    """Markdown for one failing check: severity, risk, the resources (every estate
    string escaped by reports.markdown.text) and the remediation, under MAX_BODY_BYTES."""
    check = findings[0].check
    risk = max(f.risk for f in findings)
    head = [
        f"**{text(check.title)}**",
        "",
        f"Severity: **{check.severity.value}** · highest risk: **{risk}**/100"
        f" · {len(findings)} resource{'s' if len(findings) != 1 else ''}",
        "",
        "Resources:",
        "",
    ]
    tail = ["", "Remediation:", "", str(text(check.remediation))]
    lines: list[str] = []
    budget = MAX_BODY_BYTES - _size(head) - _size(tail) - 200
    for shown, f in enumerate(findings):
        line = f"- {text(f.resource)} (risk {f.risk}): {text(f.message)}"
        if shown >= MAX_RESOURCES_LISTED or _size([*lines, line]) > budget:
            lines.append(f"- and {len(findings) - shown} more (see the opa-comply page)")
            break
        lines.append(line)
    body = "\n".join([*head, *lines, *tail])
    return _clip_bytes(body, MAX_BODY_BYTES)


def result_document(outcome: TaskOutcome, url: str | None) -> dict[str, Any]:
    """The PATCH body of a final result (JSON:API `task-results`)."""
    attributes: dict[str, Any] = {"status": outcome.status, "message": clip(outcome.message)}
    if url:
        attributes["url"] = url
    data: dict[str, Any] = {"type": "task-results", "attributes": attributes}
    if outcome.outcomes:
        data["relationships"] = {
            "outcomes": {
                "data": [
                    {"type": "task-result-outcomes", "attributes": a}
                    for a in outcome.outcomes[:MAX_OUTCOMES]
                ]
            }
        }
    return {"data": data}


def progress_document(message: str, url: str | None) -> dict[str, Any]:
    """The PATCH body of a `running` update: the platform's 10 minute clock restarts."""
    attributes: dict[str, Any] = {"status": "running", "message": clip(message)}
    if url:
        attributes["url"] = url
    return {"data": {"type": "task-results", "attributes": attributes}}


def clip(value: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """One printable line of at most ``limit`` characters (control characters escaped)."""
    line = printable(value)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _clip_bytes(value: str, limit: int) -> str:
    raw = value.encode("utf-8")
    if len(raw) <= limit:
        return value
    return raw[: limit - 4].decode("utf-8", errors="ignore") + "\n\n…"


def _size(lines: list[str]) -> int:
    return len("\n".join(lines).encode("utf-8"))
