"""The `serve:` section of the config file: the compliance service's tokens and limits.

```yaml
serve:
  tokens:                      # SHA-256 hashes of bearer tokens (`opa-comply token` makes one)
    - name: ci
      sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
      scopes: [validate]
    - name: dashboard
      sha256: ...
      scopes: [read]
  max_body_bytes: 10485760     # larger request bodies are answered 413
  max_batch: 100               # resources per POST /v1/validate
  max_concurrent_plans: 2      # POST /v1/plans judged at once; more are answered 503
  rate_limit: {per_second: 50, burst: 100}   # per token, on validation and plans
  decision_log: true           # validation decisions kept in the state store
  public_url: https://compliance.example.com # links in run-task results
  run_task:
    hmac_key_env: OPA_COMPLY_RUN_TASK_KEY    # the HMAC key, from this environment variable
    fail_on: high
    enforcement: mandatory     # or advisory: findings reported, the run never failed
    max_plan_bytes: 67108864   # a larger plan JSON is a failed result saying so
    allowed_hosts: [app.terraform.io, archivist.terraform.io]  # plan fetch and callback hosts
                               # (https only, unless listed in insecure_hosts)
    insecure_hosts: []         # hosts allowed over plain http (tests: 127.0.0.1)
    workers: 2                 # run tasks judged at once
    queue: 32                  # waiting run tasks; more are answered 503 (the platform retries)
    deadline_seconds: 540      # per task, inside the platform's 10 minute progress limit
    attempts: 5                # per fetch or callback, with exponential backoff
    backoff_seconds: 1.0       # first wait between attempts, doubling
    progress: true             # PATCH `running` before judging
```
Tokens are random strings of high entropy: a plain SHA-256 is a sound hash for them (a
slow password hash guards guessable secrets, which these are not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCOPES = ("read", "validate", "run-task")
SEVERITIES = ("critical", "high", "medium", "low", "info", "none")

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PLAN_BYTES = 64 * 1024 * 1024

# A host name or IP address as a URL carries it (no port, no scheme, no path).
_HOST = {"type": "string", "pattern": "^[A-Za-z0-9.:_-]{1,253}$"}

SERVE_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "tokens": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "sha256", "scopes"],
                "properties": {
                    "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "scopes": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"enum": list(SCOPES)},
                    },
                },
            },
        },
        "max_body_bytes": {"type": "integer", "minimum": 1024, "maximum": 1024**3},
        "max_batch": {"type": "integer", "minimum": 1, "maximum": 10000},
        "max_concurrent_plans": {"type": "integer", "minimum": 1, "maximum": 64},
        "rate_limit": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "per_second": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000000},
                "burst": {"type": "integer", "minimum": 1, "maximum": 1000000},
            },
        },
        "decision_log": {"type": "boolean"},
        "public_url": {"type": "string", "pattern": "^https?://[^\\s]+$"},
        "run_task": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "hmac_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                "fail_on": {"enum": list(SEVERITIES)},
                "enforcement": {"enum": ["mandatory", "advisory"]},
                "max_plan_bytes": {"type": "integer", "minimum": 1024, "maximum": 1024**3},
                "allowed_hosts": {"type": "array", "items": _HOST, "uniqueItems": True},
                "insecure_hosts": {"type": "array", "items": _HOST, "uniqueItems": True},
                "workers": {"type": "integer", "minimum": 1, "maximum": 16},
                "queue": {"type": "integer", "minimum": 1, "maximum": 10000},
                "deadline_seconds": {"type": "number", "minimum": 1, "maximum": 3600},
                "attempts": {"type": "integer", "minimum": 1, "maximum": 20},
                "backoff_seconds": {"type": "number", "minimum": 0, "maximum": 60},
                "progress": {"type": "boolean"},
            },
        },
    },
}


@dataclass(frozen=True)
class TokenSpec:
    name: str
    sha256: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class RunTaskSettings:
    hmac_key_env: str = "OPA_COMPLY_RUN_TASK_KEY"
    fail_on: str = "high"
    enforcement: str = "mandatory"
    max_plan_bytes: int = DEFAULT_MAX_PLAN_BYTES
    # HCP Terraform answers the plan download with a redirect to its archivist.
    allowed_hosts: tuple[str, ...] = ("app.terraform.io", "archivist.terraform.io")
    insecure_hosts: tuple[str, ...] = ()
    workers: int = 2
    queue: int = 32
    # The platform errors a task that sends no update for 10 minutes: 9 leaves a margin.
    deadline_seconds: float = 540.0
    attempts: int = 5
    backoff_seconds: float = 1.0
    progress: bool = True


@dataclass(frozen=True)
class ServeSettings:
    tokens: tuple[TokenSpec, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_batch: int = 100
    max_concurrent_plans: int = 2  # plans judged at once (each held whole in memory)
    rate_per_second: float = 50.0
    rate_burst: int = 100
    decision_log: bool = False
    public_url: str = ""
    run_task: RunTaskSettings = field(default_factory=RunTaskSettings)

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> ServeSettings:
        """From a `serve:` section SERVE_SCHEMA has checked."""
        limit = section.get("rate_limit", {})
        task = section.get("run_task", {})
        return cls(
            tokens=tuple(
                TokenSpec(t["name"], t["sha256"], frozenset(t["scopes"]))
                for t in section.get("tokens", ())
            ),
            max_body_bytes=int(section.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
            max_batch=int(section.get("max_batch", 100)),
            max_concurrent_plans=int(section.get("max_concurrent_plans", 2)),
            rate_per_second=float(limit.get("per_second", 50.0)),
            rate_burst=int(limit.get("burst", 100)),
            decision_log=bool(section.get("decision_log", False)),
            public_url=str(section.get("public_url", "")).rstrip("/"),
            run_task=RunTaskSettings(
                hmac_key_env=str(task.get("hmac_key_env", RunTaskSettings.hmac_key_env)),
                fail_on=str(task.get("fail_on", RunTaskSettings.fail_on)),
                enforcement=str(task.get("enforcement", RunTaskSettings.enforcement)),
                max_plan_bytes=int(task.get("max_plan_bytes", DEFAULT_MAX_PLAN_BYTES)),
                allowed_hosts=tuple(
                    h.lower() for h in task.get("allowed_hosts", RunTaskSettings.allowed_hosts)
                ),
                insecure_hosts=tuple(h.lower() for h in task.get("insecure_hosts", ())),
                workers=int(task.get("workers", RunTaskSettings.workers)),
                queue=int(task.get("queue", RunTaskSettings.queue)),
                deadline_seconds=float(
                    task.get("deadline_seconds", RunTaskSettings.deadline_seconds)
                ),
                attempts=int(task.get("attempts", RunTaskSettings.attempts)),
                backoff_seconds=float(task.get("backoff_seconds", RunTaskSettings.backoff_seconds)),
                progress=bool(task.get("progress", RunTaskSettings.progress)),
            ),
        )
