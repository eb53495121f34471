"""Limits that keep one caller from taking the service down: plans judged at once, the
run task's body read before its signature is checked, a login form with extra fields."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import orjson
import requests

from tests.integration.serve.test_engine_supervision import big_plan, cpu_seconds, wait_for
from tests.serve_support import running_service


def test_plans_over_the_concurrency_limit_are_answered_503(tmp_path: Path) -> None:
    body = orjson.dumps(big_plan(2_000))  # some seconds of work
    headers = {"Content-Type": "application/json"}
    with running_service(tmp_path, serve={"max_concurrent_plans": 1}) as svc:
        headers.update(svc.auth("validator"))
        outcome: dict[str, Any] = {}

        def send() -> None:
            outcome["answer"] = requests.post(
                svc.url + "/v1/plans?fail_on=none", data=body, headers=headers, timeout=120
            )

        idle = cpu_seconds(svc.process.pid)
        first = threading.Thread(target=send)
        first.start()
        wait_for(lambda: cpu_seconds(svc.process.pid) - idle > 0.5, 30, "first plan in hand")
        second = requests.post(svc.url + "/v1/plans", data=body, headers=headers, timeout=60)
        first.join(timeout=120)
        assert second.status_code == 503, second.text[:300]
        assert second.json()["error"]["code"] == "unavailable"
        assert second.headers["Retry-After"] == "5"
        assert outcome["answer"].status_code == 200
        # The slot is free again once the first plan is answered.
        small = orjson.dumps(big_plan(1))
        again = requests.post(svc.url + "/v1/plans", data=small, headers=headers, timeout=60)
        assert again.status_code == 200, again.text[:300]


def test_the_run_task_reads_little_before_the_signature(tmp_path: Path) -> None:
    env = {"OPA_COMPLY_RUN_TASK_KEY": "limits-test-key-77"}
    with running_service(tmp_path, env=env) as svc:
        answer = requests.post(
            svc.url + "/v1/run-tasks/terraform",
            data=b"{" + b" " * (70 * 1024) + b"}",
            headers={"Content-Type": "application/json", "X-TFC-Task-Signature": "0" * 128},
            timeout=30,
        )
        assert answer.status_code == 413, answer.text
        assert answer.json()["error"]["code"] == "body_too_large"


def test_a_login_form_with_extra_fields_is_a_400_page(tmp_path: Path) -> None:
    with running_service(tmp_path) as svc:
        answer = requests.post(
            svc.url + "/login",
            data="a=1&b=2&c=3&d=4&e=5&token=x",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": svc.url},
            timeout=30,
            allow_redirects=False,
        )
        assert answer.status_code == 400
        assert "not a login form" in answer.text
        assert "unexpected" not in svc.log_text()
