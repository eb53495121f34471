"""HCP Terraform's side of a run task, on loopback, from the published documentation
(HashiCorp web-unified-docs: cloud-docs/api-docs/run-tasks/run-tasks-integration.mdx,
cloud-docs/integrations/run-tasks/index.mdx, cloud-docs/api-docs/plans.mdx).

    with TfcDouble(plan=path.read_bytes()) as tfc:
        payload = tfc.payload()                      # every documented field
        answer = tfc.send(service_url, payload, KEY)  # signed POST, as the platform does
        result = tfc.wait_for_final(payload["task_result_id"])

It plays:
- the platform's POST, signed with `X-TFC-Task-Signature` (hex HMAC-SHA512 of the body);
- `GET /api/v2/plans/<id>/json-output`: the bearer token is checked (401 otherwise), then
  307 to a temporary archivist URL on a second loopback server (another origin), which
  serves the plan and must NOT receive the token;
- `PATCH /api/v2/task-results/<id>/callback`: Content-Type `application/vnd.api+json`,
  `Authorization: Bearer <access_token>`, and the body checked field by field against
  RESULT_SCHEMA (built from the documentation); anything else is a violation, recorded
  and answered 422 as the platform would.

Replies can be scripted (`plan_script`, `callback_script`: statuses answered before the
normal behaviour). Both servers bind 127.0.0.1 port 0; waits are bounded; stop() joins.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

import jsonschema
import requests

LOOPBACK = "127.0.0.1"
JSON_API = "application/vnd.api+json"
USER_AGENT = "TFC/1.0 (+https://app.terraform.io; TFC)"
# Body: "We recommend limiting messages to under 1MB with a maximum allowable limit of 5MB."
MAX_OUTCOME_BODY = 5 * 1024 * 1024
RECOMMENDED_PATCH_BYTES = 1024 * 1024
_TAG = {
    "type": "object",
    "additionalProperties": False,
    "required": ["label"],
    "properties": {
        "label": {"type": "string", "minLength": 1},
        # "Defaults to none, but accepts none, info, warning, or error."
        "level": {"enum": ["none", "info", "warning", "error"]},
    },
}
_URL = {"type": "string", "pattern": "^https?://[^\\s]+$"}
RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["data"],
    "properties": {
        "data": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type", "attributes"],
            "properties": {
                "type": {"const": "task-results"},
                "attributes": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["status"],
                    "properties": {
                        # "Only passed, failed or running are allowed."
                        "status": {"enum": ["passed", "failed", "running"]},
                        # "A short message": one line.
                        "message": {"type": "string", "pattern": "^[^\\n\\r]*$"},
                        "url": _URL,
                    },
                },
                "relationships": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["outcomes"],
                    "properties": {
                        "outcomes": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["data"],
                            "properties": {
                                "data": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "additionalProperties": False,
                                        "required": ["type", "attributes"],
                                        "properties": {
                                            "type": {"const": "task-result-outcomes"},
                                            "attributes": {
                                                "type": "object",
                                                "additionalProperties": False,
                                                "required": ["outcome-id", "description"],
                                                "properties": {
                                                    "outcome-id": {
                                                        "type": "string",
                                                        "minLength": 1,
                                                    },
                                                    # "A one-line description."
                                                    "description": {
                                                        "type": "string",
                                                        "minLength": 1,
                                                        "pattern": "^[^\\n\\r]*$",
                                                    },
                                                    "body": {"type": "string"},
                                                    "url": _URL,
                                                    "tags": {
                                                        "type": "object",
                                                        "additionalProperties": {
                                                            "type": "array",
                                                            "items": _TAG,
                                                        },
                                                    },
                                                },
                                            },
                                        },
                                    },
                                }
                            },
                        }
                    },
                },
            },
        }
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(RESULT_SCHEMA)


@dataclass(frozen=True)
class Patch:
    task_result_id: str
    headers: dict[str, str]
    raw: bytes
    document: Any

    @property
    def status(self) -> str:
        return str(self.document["data"]["attributes"]["status"])

    @property
    def attributes(self) -> dict[str, Any]:
        return dict(self.document["data"]["attributes"])

    @property
    def outcomes(self) -> list[dict[str, Any]]:
        relationships = self.document["data"].get("relationships", {})
        return [o["attributes"] for o in relationships.get("outcomes", {}).get("data", [])]


def sign(key: str, body: bytes) -> str:
    return hmac.new(key.encode(), body, hashlib.sha512).hexdigest()


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class TfcDouble:
    def __init__(self, plan: bytes = b"{}") -> None:
        self.plan = plan
        self.access_token = "atlasv1." + secrets.token_hex(24)  # what the platform hands out
        self.plan_script: deque[int] = deque()
        self.callback_script: deque[int] = deque()
        self.plan_requests: list[dict[str, str]] = []  # headers of each GET json-output
        self.archivist_requests: list[dict[str, str]] = []
        self.patches: list[Patch] = []
        self.violations: list[str] = []
        self._changed = threading.Condition()
        self._api = _Server((LOOPBACK, 0), self._handler(archivist=False))
        self._archivist = _Server((LOOPBACK, 0), self._handler(archivist=True))
        self._threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            for s in (self._api, self._archivist)
        ]

    # --- the platform's side --------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self._api.server_address[1]}"

    @property
    def archivist_url(self) -> str:
        return f"http://{LOOPBACK}:{self._archivist.server_address[1]}"

    def payload(self, **overrides: Any) -> dict[str, Any]:
        """A post_plan request with every documented field, as the docs' sample shows."""
        run = "run-" + secrets.token_hex(8)
        result = "taskrs-" + secrets.token_hex(8)
        body: dict[str, Any] = {
            "payload_version": 1,
            "stage": "post_plan",
            "access_token": self.access_token,
            "capabilities": {"outcomes": True},
            "configuration_version_download_url": (
                f"{self.url}/api/v2/configuration-versions/cv-1/download"
            ),
            "configuration_version_id": "cv-1",
            "is_speculative": False,
            "organization_name": "acme",
            "plan_json_api_url": f"{self.url}/api/v2/plans/plan-{run}/json-output",
            "run_app_url": f"https://app.terraform.io/app/acme/prod/runs/{run}",
            "run_created_at": "2021-09-02T14:47:13.036Z",
            "run_created_by": "someone",
            "run_id": run,
            "run_message": "Triggered via UI",
            "task_result_callback_url": f"{self.url}/api/v2/task-results/{result}/callback",
            "task_result_enforcement_level": "mandatory",
            "task_result_id": result,
            "vcs_branch": "main",
            "vcs_commit_url": None,
            "vcs_pull_request_url": None,
            "vcs_repo_url": None,
            "workspace_app_url": "https://app.terraform.io/app/acme/prod",
            "workspace_id": "ws-" + secrets.token_hex(8),
            "workspace_name": "prod",
            "workspace_working_directory": "/",
        }
        body.update(overrides)
        return body

    def verification_payload(self) -> dict[str, Any]:
        """The test POST sent when a run task is created: access_token "test-token"."""
        return self.payload(access_token="test-token")

    def send(
        self, service_url: str, payload: dict[str, Any], key: str, signature: str | None = None
    ) -> requests.Response:
        body = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-TFC-Task-Signature": sign(key, body) if signature is None else signature,
        }
        return requests.post(
            f"{service_url}/v1/run-tasks/terraform", data=body, headers=headers, timeout=10
        )

    def wait_for_final(self, task_result_id: str, timeout: float = 60.0) -> Patch:
        """The first passed/failed PATCH for the task result."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for p in self.patches:
                    if p.task_result_id == task_result_id and p.status in ("passed", "failed"):
                        return p
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no final result for {task_result_id} in {timeout} s")
                self._changed.wait(left)

    def patches_of(self, task_result_id: str) -> list[Patch]:
        with self._changed:
            return [p for p in self.patches if p.task_result_id == task_result_id]

    # --- serving ----------------------------------------------------------------------

    def _handler(self, archivist: bool) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                if archivist:
                    double._archivist_get(self, headers)
                else:
                    double._plan_get(self, headers)

            def do_PATCH(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                double._patch(self, headers, raw)

        return Handler

    def _plan_get(self, h: BaseHTTPRequestHandler, headers: dict[str, str]) -> None:
        with self._changed:
            self.plan_requests.append(headers)
            scripted = self.plan_script.popleft() if self.plan_script else None
        if not h.path.startswith("/api/v2/plans/") or not h.path.endswith("/json-output"):
            self._violation(f"GET {h.path}: not a plan JSON URL")
            return _answer(h, 404, _error("not found"))
        if headers.get("authorization") != f"Bearer {self.access_token}":
            self._violation("GET json-output without the run task's bearer token")
            return _answer(h, 401, _error("unauthorized"))
        if scripted is not None:
            return _answer(h, scripted, _error(f"scripted {scripted}"))
        # "responds with a temporary redirect": a pre-authenticated archivist URL.
        location = f"{self.archivist_url}/v1/object/{secrets.token_urlsafe(24)}"
        return _answer(h, 307, b"", {"Location": location})

    def _archivist_get(self, h: BaseHTTPRequestHandler, headers: dict[str, str]) -> None:
        with self._changed:
            self.archivist_requests.append(headers)
        if "authorization" in headers:
            self._violation("the archivist received the platform's bearer token")
        _answer(h, 200, self.plan, {"Content-Type": "application/json"})

    def _patch(self, h: BaseHTTPRequestHandler, headers: dict[str, str], raw: bytes) -> None:
        parts = h.path.split("/")
        if len(parts) != 6 or parts[1:4] != ["api", "v2", "task-results"] or parts[5] != "callback":
            self._violation(f"PATCH {h.path}: not a task result callback URL")
            return _answer(h, 404, _error("not found"))
        problems = []
        if headers.get("authorization") != f"Bearer {self.access_token}":
            problems.append("Authorization is not the run task's bearer token")
        if headers.get("content-type", "").split(";")[0].strip() != JSON_API:
            problems.append(f"Content-Type {headers.get('content-type')!r}, not {JSON_API}")
        if len(raw) > RECOMMENDED_PATCH_BYTES:
            problems.append(f"PATCH body of {len(raw)} bytes, over the recommended 1 MB")
        try:
            document = json.loads(raw)
        except ValueError:
            problems.append("body is not JSON")
            document = None
        if document is not None:
            problems += [
                f"${''.join(f'[{p!r}]' for p in e.absolute_path)}: {e.message}"
                for e in _VALIDATOR.iter_errors(document)
            ]
            for outcome in _outcomes(document):
                body = outcome.get("body", "")
                if isinstance(body, str) and len(body.encode()) > MAX_OUTCOME_BODY:
                    problems.append("an outcome body over the 5 MB maximum")
        for problem in problems:
            self._violation(f"PATCH: {problem}")
        if problems:
            return _answer(h, 422, _error("; ".join(problems)[:500]))
        with self._changed:
            scripted = self.callback_script.popleft() if self.callback_script else None
            if scripted is None:
                self.patches.append(Patch(parts[4], headers, raw, document))
                self._changed.notify_all()
        if scripted is not None:
            return _answer(h, scripted, _error(f"scripted {scripted}"))
        return _answer(h, 200, b"")

    def _violation(self, what: str) -> None:
        with self._changed:
            self.violations.append(what)
            self._changed.notify_all()

    # --- life -----------------------------------------------------------------------------

    def start(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        for server in (self._api, self._archivist):
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _outcomes(document: Any) -> list[dict[str, Any]]:
    try:
        items = document["data"]["relationships"]["outcomes"]["data"]
        return [i["attributes"] for i in items if isinstance(i.get("attributes"), dict)]
    except (KeyError, TypeError):
        return []


def _error(detail: str) -> bytes:
    """A JSON:API error object, as the platform answers."""
    return json.dumps({"errors": [{"status": "error", "title": detail}]}).encode()


def _answer(
    h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None
) -> None:
    h.send_response(status)
    for name, value in (headers or {"Content-Type": JSON_API}).items():
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if body:
        h.wfile.write(body)
