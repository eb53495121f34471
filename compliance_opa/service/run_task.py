"""The HCP Terraform / Terraform Enterprise run task (see app/run_task.py for the protocol).

`POST /v1/run-tasks/terraform` cannot carry our bearer token: the platform signs the
body instead (`X-TFC-Task-Signature`, HMAC-SHA512 with the key from the environment
variable `serve.run_task.hmac_key_env` names), checked in constant time before anything
is parsed or queued. The request is recorded (never its access token) and queued; the
answer is 200 at once. A small pool of worker threads then, per task, within its
deadline: PATCHes `running`, fetches the plan JSON, judges it on the warm OPA, and
PATCHes the result; every attempt is recorded for the dashboard. Stopping the service
lets each worker finish the task in hand (no more retries) and marks the queued ones
failed: their access tokens die with the process.

Also: `GET /v1/run-tasks` (scope `run-task`, the history as JSON), and the pages
`/run-tasks` and `/run-tasks/{id}` (scope `read`; a browser without a token is sent to
`/login`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import queue
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from compliance_opa.app.run_task import (
    PAYLOAD_SCHEMA,
    Gate,
    TaskOutcome,
    TaskRequest,
    judge,
    progress_document,
    result_document,
    unjudged,
)
from compliance_opa.domain.findings import Finding, Status
from compliance_opa.errors import ComplianceError
from compliance_opa.inventory.load import parse_json
from compliance_opa.service.context import Service, service_of
from compliance_opa.service.http import ApiError, json_response, read_body, require_json
from compliance_opa.service.pages import page
from compliance_opa.service.run_task_client import (
    REQUEST_TIMEOUT,
    PlanTooLarge,
    PlatformClient,
    PlatformError,
    Stopped,
)
from compliance_opa.state import report_codec
from compliance_opa.state import run_tasks as history
from compliance_opa.state.run_tasks import RunTaskRecord
from compliance_opa.support.printable import printable

log = logging.getLogger("opa_comply.serve")
SIGNATURE_HEADER = "x-tfc-task-signature"
_PAYLOAD = Path("run task payload")


@dataclass
class _Job:
    task_id: str
    request: TaskRequest
    deadline: float  # time.monotonic() by which the result must be delivered


@dataclass
class Workers:
    """The run-task worker threads of one service, and the HMAC key they answer for."""

    service: Service
    key: bytes | None  # None: the run task is not configured (503)
    jobs: queue.Queue[_Job | None]
    stopping: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def submit(self, job: _Job) -> bool:
        try:
            self.jobs.put_nowait(job)
        except queue.Full:
            return False
        return True

    def stop(self) -> None:
        """Each worker finishes the task in hand (no further retries); the queued ones
        are recorded as failed."""
        self.stopping.set()
        left: list[str] = []
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                left.append(job.task_id)
        if left:
            _quietly(self.service, lambda tx: history.abandon(tx, left, "the service stopped"))
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        _WORKERS.pop(id(self.service), None)


_WORKERS: dict[int, Workers] = {}


def start_workers(service: Service) -> Workers:
    settings = service.settings.run_task
    key = os.environ.get(settings.hmac_key_env, "")
    workers = Workers(service, key.encode("utf-8") or None, queue.Queue(settings.queue))
    if workers.key is None:
        log.warning(
            "opa-comply serve: warning: the run task is not configured (%s is not set):"
            " POST /v1/run-tasks/terraform answers 503",
            settings.hmac_key_env,
        )
    client = PlatformClient.create(settings, workers.stopping)
    for number in range(settings.workers):
        thread = threading.Thread(
            target=_work, args=(workers, client), name=f"run-task-{number}", daemon=True
        )
        thread.start()
        workers.threads.append(thread)
    _WORKERS[id(service)] = workers
    return workers


# --- the endpoint the platform calls ------------------------------------------------------


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(PAYLOAD_SCHEMA)


def signature_valid(key: bytes, body: bytes, presented: str) -> bool:
    expected = hmac.new(key, body, hashlib.sha512).hexdigest().encode("ascii")
    return hmac.compare_digest(expected, presented.strip().lower().encode("utf-8", "replace"))


# A run task's request body: the platform's payload is about 2 KiB; anything near this is
# not one (and it is read before the signature is checked).
MAX_PAYLOAD_BYTES = 64 * 1024


async def post_terraform(request: Request) -> Response:
    service = service_of(request)
    workers = _WORKERS.get(id(service))
    if workers is None or workers.key is None or workers.stopping.is_set():
        raise ApiError(503, "run task not configured" if workers is None or workers.key is None
                       else "the service is stopping")  # fmt: skip
    presented = request.headers.get(SIGNATURE_HEADER, "")
    if not presented:
        raise ApiError(401, f"{SIGNATURE_HEADER} is required (the run task's HMAC key)")
    # Read before it is authenticated, so little: a payload is about 2 KiB.
    raw = await read_body(request, MAX_PAYLOAD_BYTES)
    if not await run_in_threadpool(signature_valid, workers.key, raw, presented):
        raise ApiError(401, f"{SIGNATURE_HEADER} does not match the body")
    require_json(request)
    task = _checked_payload(raw)
    if task.verification:
        return json_response({"status": "verified"})
    task_id = uuid.uuid4().hex
    record = RunTaskRecord(
        task_id=task_id,
        task_result_id=task.task_result_id,
        run_id=task.run_id,
        workspace_id=task.workspace_id,
        workspace_name=task.workspace_name,
        organization=task.organization,
        stage=task.stage,
        speculative=task.speculative,
        enforcement_level=task.enforcement_level,
        run_app_url=task.run_app_url,
    )
    deadline = time.monotonic() + service.settings.run_task.deadline_seconds
    await run_in_threadpool(_insert, service, record)
    if not workers.submit(_Job(task_id, task, deadline)):
        await run_in_threadpool(
            _quietly, service, lambda tx: history.abandon(tx, [task_id], "the queue was full")
        )
        raise ApiError(503, "too many run tasks waiting; try again", {"Retry-After": "30"})
    return json_response({"status": "accepted", "task_id": task_id})


def _checked_payload(raw: bytes) -> TaskRequest:
    body = parse_json(_PAYLOAD, raw)  # InputError (400) when not JSON
    if not isinstance(body, dict):
        raise ApiError(422, f"{_PAYLOAD}: expected a JSON object")
    error = jsonschema.exceptions.best_match(_validator().iter_errors(body))
    if error is not None:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        what = error.validator if error.validator != "required" else "a required field is missing"
        if error.validator == "required":
            missing = [str(n) for n in error.validator_value if n not in error.instance]
            what = f"missing {', '.join(missing)}"[:200]
        raise ApiError(422, f"{_PAYLOAD}: ${where}: {what}")
    return TaskRequest.from_payload(body)


def _insert(service: Service, record: RunTaskRecord) -> None:
    with service.store() as store, store.transaction() as tx:
        history.insert_task(tx, record)


# --- the workers -------------------------------------------------------------------------


def _work(workers: Workers, client: PlatformClient) -> None:
    while True:
        job = workers.jobs.get()
        if job is None:
            return
        _run_guarded(workers.service, client, job)


def _run_guarded(service: Service, client: PlatformClient, job: _Job) -> None:
    """One task; whatever it raises ends it as failed, never the worker."""
    try:
        _run(service, client, job)
    except Exception as exc:
        log.error("run task %s: unexpected %s", job.task_id, type(exc).__name__)
        why = "internal error (logged by the service)"
        _quietly(service, lambda tx: history.finish(tx, job.task_id, "failed", why))


def _run(service: Service, client: PlatformClient, job: _Job) -> None:
    task, task_id = job.request, job.task_id
    settings = service.settings.run_task
    link = (
        f"{service.settings.public_url}/run-tasks/{task_id}"
        if service.settings.public_url
        else None
    )
    _quietly(service, lambda tx: history.mark_started(tx, task_id))

    def recorder(step: str) -> Any:
        return lambda error: _quietly(
            service, lambda tx: history.record_attempt(tx, task_id, step, error)
        )

    try:
        if settings.progress:
            # One try: a progress note is not worth the deadline; its error is recorded.
            with contextlib.suppress(PlatformError):
                client.patch(
                    task.callback_url,
                    task.access_token,
                    progress_document("opa-comply is judging the plan", link),
                    job.deadline,
                    recorder("progress"),
                    attempts=1,
                )
        outcome = _outcome(service, client, job, link, recorder("fetch"))
        _quietly(
            service,
            lambda tx: history.record_judgement(
                tx,
                task_id,
                outcome.status,
                outcome.message,
                outcome.counts,
                outcome.outcomes,
                None if outcome.report is None else report_codec.dumps(outcome.report),
            ),
        )
        client.patch(
            task.callback_url,
            task.access_token,
            result_document(outcome, link),
            job.deadline,
            recorder("callback"),
        )
    except PlatformError as exc:
        why = f"result not delivered: {exc}"
        log.warning("run task %s (run %s): %s", task_id, printable(task.run_id), why)
        _quietly(service, lambda tx: history.finish(tx, task_id, "failed", why))
        return
    except Stopped:
        why = "the service stopped before the result was delivered"
        _quietly(service, lambda tx: history.finish(tx, task_id, "failed", why))
        return
    _quietly(service, lambda tx: history.finish(tx, task_id, outcome.status))


def _outcome(
    service: Service, client: PlatformClient, job: _Job, link: str | None, on_attempt: Any
) -> TaskOutcome:
    task = job.request
    if not task.plan_url:
        return unjudged(f"no plan_json_api_url in a {task.stage or 'stage-less'} request")
    try:
        raw = client.fetch_plan(task.plan_url, task.access_token, job.deadline, on_attempt)
    except PlanTooLarge as exc:
        return unjudged(str(exc))
    except PlatformError as exc:
        return unjudged(f"fetching the plan failed: {exc}")
    settings = service.settings.run_task
    gate = Gate(settings.fail_on, settings.enforcement == "advisory")
    try:
        return judge(
            raw,
            service.engine.evaluator(),
            gate,
            service.config.parameters,
            service.threshold,
            link,
        )
    except ComplianceError as exc:  # not a plan, or OPA unavailable: never a pass
        return unjudged(str(exc))


def _quietly(service: Service, write: Any) -> None:
    """One write to the history; a store failure is logged, never ends the task."""
    try:
        with service.store() as store, store.transaction() as tx:
            write(tx)
    except ComplianceError as exc:
        log.error("run task history: %s", exc)


# --- history: API and pages ------------------------------------------------------------


async def list_api(request: Request) -> Response:
    service = service_of(request)
    service.caller(request, "run-task")
    limit = _limit(request)
    records = await run_in_threadpool(_records, service, limit)
    return json_response({"run_tasks": [_record_dict(r) for r in records]})


async def list_page(request: Request) -> Response:
    service = service_of(request)
    redirect = _reader_or_login(request, service)
    if redirect is not None:
        return redirect
    records = await run_in_threadpool(_records, service, _limit(request))
    return page(request, "run_tasks.html", tasks=records, safe_link=_safe_link)


async def one_page(request: Request) -> Response:
    service = service_of(request)
    redirect = _reader_or_login(request, service)
    if redirect is not None:
        return redirect
    task_id = request.path_params["task_id"]
    found = await run_in_threadpool(_one, service, task_id)
    if found is None:
        raise ApiError(404, "no such run task")
    record, findings, attempts = found
    return page(
        request,
        "run_task.html",
        task=record,
        attempts=attempts,
        findings=findings,
        safe_link=_safe_link,
    )


def _reader_or_login(request: Request, service: Service) -> Response | None:
    try:
        service.caller(request, "read")
    except ApiError as exc:
        if exc.status == 401 and "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/login", status_code=303)
        raise
    return None


def _limit(request: Request) -> int:
    value = request.query_params.get("limit", "100")
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise ApiError(400, "limit: expected a whole number from 1 to 1000")
    return int(value)


def _records(service: Service, limit: int) -> list[RunTaskRecord]:
    with service.store() as store, store.reading() as tx:
        return history.list_tasks(tx, limit)


def _one(
    service: Service, task_id: str
) -> tuple[RunTaskRecord, list[Finding], list[history.Attempt]] | None:
    """The task, the failing findings of its plan (decoded here, in a worker thread: a
    plan's stored report can be large) and its attempts."""
    if not task_id.isalnum() or len(task_id) > 64:
        return None
    with service.store() as store, store.reading() as tx:
        found = history.get_task(tx, task_id)
        if found is None:
            return None
        attempts = history.attempts_of(tx, task_id)
    record, report_json = found
    findings: list[Finding] = []
    if report_json is not None:
        report = report_codec.loads(report_json)
        findings = [f for f in report.findings_by_severity() if f.status is Status.FAIL]
    return record, findings, attempts


def _record_dict(record: RunTaskRecord) -> dict[str, Any]:
    value = asdict(record)
    value["outcomes"] = len(record.outcomes)
    return value


def _safe_link(url: str) -> str | None:
    """A link from the payload, only when it is plainly http(s) (never javascript:)."""
    return url if url.startswith(("https://", "http://")) and " " not in url else None


ROUTES: list[BaseRoute] = [
    Route("/v1/run-tasks/terraform", post_terraform, methods=["POST"]),
    Route("/v1/run-tasks", list_api, methods=["GET"]),
    Route("/run-tasks", list_page, methods=["GET"]),
    Route("/run-tasks/{task_id}", one_page, methods=["GET"]),
]
