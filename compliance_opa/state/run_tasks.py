"""History of HCP Terraform run tasks: what the platform asked, what we answered, and
every attempt to fetch a plan or call back (so the dashboard shows why one failed).

Never the platform's access token, nor the callback or plan URLs (the token is held in
memory by the worker for the task's lifetime only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from compliance_opa.state.store import Transaction

# Our own processing state of a task: queued -> running -> passed | failed. `failed` is
# also where a task ends that could not be judged or delivered (last_error says why).
STATUSES = ("queued", "running", "passed", "failed")
_COLUMNS = (
    "task_id, task_result_id, run_id, workspace_id, workspace_name, organization, stage,"
    " speculative, enforcement_level, run_app_url, status, verdict, message, counts,"
    " outcomes, attempts, last_error, received_at, started_at, finished_at"
)


@dataclass(frozen=True)
class RunTaskRecord:
    task_id: str  # ours: the dashboard's /run-tasks/{task_id}
    task_result_id: str  # the platform's
    run_id: str
    workspace_id: str
    workspace_name: str
    organization: str
    stage: str
    speculative: bool
    enforcement_level: str  # the platform's level for this task: mandatory | advisory
    run_app_url: str
    status: str = "queued"
    verdict: str = ""  # the result we computed: passed | failed ("" before judging)
    message: str = ""  # the message sent (or meant) to the platform
    counts: dict[str, int] | None = None  # failing findings per severity, evaluated...
    outcomes: tuple[dict[str, Any], ...] = ()  # outcome attributes as sent
    attempts: int = 0
    last_error: str = ""
    received_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None


@dataclass(frozen=True)
class Attempt:
    at: str
    step: str  # fetch | progress | callback
    outcome: str  # "ok", or why it failed


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def insert_task(tx: Transaction, r: RunTaskRecord) -> None:
    tx.execute(
        f"INSERT INTO run_tasks ({_COLUMNS}) VALUES"  # noqa: S608 - constant columns
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            r.task_id,
            r.task_result_id,
            r.run_id,
            r.workspace_id,
            r.workspace_name,
            r.organization,
            r.stage,
            1 if r.speculative else 0,
            r.enforcement_level,
            r.run_app_url,
            r.status,
            r.verdict,
            r.message,
            json.dumps(r.counts or {}),
            json.dumps(list(r.outcomes)),
            r.attempts,
            r.last_error,
            r.received_at or now(),
            r.started_at,
            r.finished_at,
        ),
    )


def mark_started(tx: Transaction, task_id: str) -> None:
    tx.execute(
        "UPDATE run_tasks SET status = 'running', started_at = ? WHERE task_id = ?",
        (now(), task_id),
    )


def record_attempt(tx: Transaction, task_id: str, step: str, error: str | None) -> None:
    """One request to the platform: counted, and its error kept as the task's last."""
    tx.execute(
        "INSERT INTO run_task_attempts (task_id, at, step, outcome) VALUES (?, ?, ?, ?)",
        (task_id, now(), step, error or "ok"),
    )
    if error:
        tx.execute(
            "UPDATE run_tasks SET attempts = attempts + 1, last_error = ? WHERE task_id = ?",
            (f"{step}: {error}", task_id),
        )
    else:
        tx.execute("UPDATE run_tasks SET attempts = attempts + 1 WHERE task_id = ?", (task_id,))


def record_judgement(
    tx: Transaction,
    task_id: str,
    verdict: str,
    message: str,
    counts: dict[str, int],
    outcomes: list[dict[str, Any]],
    report: str | None,
) -> None:
    tx.execute(
        "UPDATE run_tasks SET verdict = ?, message = ?, counts = ?, outcomes = ?, report = ?"
        " WHERE task_id = ?",
        (verdict, message, json.dumps(counts), json.dumps(outcomes), report, task_id),
    )


def finish(tx: Transaction, task_id: str, status: str, error: str | None = None) -> None:
    """The task's end: `passed`/`failed` as delivered, or `failed` with why."""
    if error is None:
        tx.execute(
            "UPDATE run_tasks SET status = ?, finished_at = ? WHERE task_id = ?",
            (status, now(), task_id),
        )
    else:
        tx.execute(
            "UPDATE run_tasks SET status = ?, finished_at = ?, last_error = ? WHERE task_id = ?",
            (status, now(), error, task_id),
        )


def abandon(tx: Transaction, task_ids: list[str], why: str) -> None:
    """Tasks this service took but will not finish (it is stopping): failed, with why.
    Their access tokens go with the process, so nobody else can finish them. Only ours:
    other services may share a PostgreSQL store."""
    for task_id in task_ids:
        tx.execute(
            "UPDATE run_tasks SET status = 'failed', finished_at = ?, last_error = ?"
            " WHERE task_id = ? AND status IN ('queued', 'running')",
            (now(), why, task_id),
        )


def list_tasks(tx: Transaction, limit: int = 200) -> list[RunTaskRecord]:
    sql = f"SELECT {_COLUMNS} FROM run_tasks ORDER BY seq DESC LIMIT ?"  # noqa: S608
    rows = tx.rows(sql, (limit,))
    return [_record(row) for row in rows]


def get_task(tx: Transaction, task_id: str) -> tuple[RunTaskRecord, str | None] | None:
    """The task and its stored report (JSON of state.report_codec), else None."""
    sql = f"SELECT {_COLUMNS}, report FROM run_tasks WHERE task_id = ?"  # noqa: S608
    rows = tx.rows(sql, (task_id,))
    if not rows:
        return None
    row = rows[0]
    report = row[-1]
    return _record(row[:-1]), None if report is None else str(report)


def attempts_of(tx: Transaction, task_id: str) -> list[Attempt]:
    rows = tx.rows(
        "SELECT at, step, outcome FROM run_task_attempts WHERE task_id = ? ORDER BY seq",
        (task_id,),
    )
    return [Attempt(str(a), str(s), str(o)) for a, s, o in rows]


def _record(row: tuple[Any, ...]) -> RunTaskRecord:
    (
        task_id,
        task_result_id,
        run_id,
        workspace_id,
        workspace_name,
        organization,
        stage,
        speculative,
        enforcement_level,
        run_app_url,
        status,
        verdict,
        message,
        counts,
        outcomes,
        attempts,
        last_error,
        received_at,
        started_at,
        finished_at,
    ) = row
    return RunTaskRecord(
        task_id=str(task_id),
        task_result_id=str(task_result_id),
        run_id=str(run_id),
        workspace_id=str(workspace_id),
        workspace_name=str(workspace_name),
        organization=str(organization),
        stage=str(stage),
        speculative=bool(speculative),
        enforcement_level=str(enforcement_level),
        run_app_url=str(run_app_url),
        status=str(status),
        verdict=str(verdict),
        message=str(message),
        counts={str(k): int(v) for k, v in json.loads(counts).items()},
        outcomes=tuple(json.loads(outcomes)),
        attempts=int(attempts),
        last_error=str(last_error),
        received_at=str(received_at),
        started_at=None if started_at is None else str(started_at),
        finished_at=None if finished_at is None else str(finished_at),
    )
