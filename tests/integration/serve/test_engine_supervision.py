"""The service's OPA under supervision: killed while serving, it is restarted and the
service is ready again; a remote OPA stopped and started likewise; SIGTERM lets a request
in flight finish, then the service exits 0 with no OPA left."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import requests

from tests.conftest import (
    POLICIES,
    OpaServer,
    child_pids,
    opa_binary,
    pid_alive,
    start_opa,
    stop_opa,
)
from tests.plan_builder import resource_change
from tests.serve_support import RunningService, running_service, stop

BODY = {"terraform_resources": [{"type": "aws_s3_bucket", "values": {"bucket": "b"}}]}


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until ``condition`` held; fails past ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout} s")


def ready(svc: RunningService) -> dict[str, Any]:
    answer = requests.get(svc.url + "/healthz/ready", timeout=5)
    document: dict[str, Any] = answer.json()
    assert (answer.status_code == 200) == document["ready"]
    return document


def validate(svc: RunningService) -> requests.Response:
    return requests.post(svc.url + "/v1/validate", json=BODY, headers=svc.auth("validator"),
                         timeout=30)  # fmt: skip


def assert_unavailable_or_judged(answer: requests.Response) -> None:
    if answer.status_code == 503:
        error = answer.json()["error"]
        assert error["code"] == "unavailable"
        assert error["status"] == 503
    else:
        assert answer.status_code == 200, answer.text


def test_a_killed_opa_is_restarted_and_the_service_recovers(tmp_path: Path) -> None:
    with running_service(tmp_path) as svc:
        assert ready(svc) == {"ready": True, "opa_restarts": 0}
        assert validate(svc).status_code == 200
        [opa] = child_pids(svc.process.pid)
        os.kill(opa, signal.SIGKILL)
        # Meanwhile: not ready, or requests answered 503 (shaped), never anything else;
        # then restarted (the supervisor looks every 0.2 s) and ready again.
        seen: set[object] = set()

        def recovered() -> bool:
            answer = validate(svc)
            assert_unavailable_or_judged(answer)
            seen.add(answer.status_code)
            state = ready(svc)
            seen.add(state["ready"])
            return bool(state["ready"] and state["opa_restarts"] >= 1)

        took = wait_for(recovered, 30, "OPA restarted and ready")
        assert 503 in seen or False in seen, seen
        children = child_pids(svc.process.pid)
        assert children
        assert opa not in children
        assert not pid_alive(opa)
        for _ in range(5):
            answer = validate(svc)
            assert answer.status_code == 200, answer.text
            assert answer.json()["results"][0]["status"] == "NON_COMPLIANT"
        assert took < 30
        assert stop(svc.process) == 0
        assert not any(pid_alive(p) for p in children)
        assert "Traceback" not in svc.log_text()


def test_a_remote_opa_stopped_and_started_again(tmp_path: Path) -> None:
    remote = start_opa(POLICIES)
    port = remote.url.rsplit(":", 1)[1]
    try:
        with running_service(tmp_path, "--opa-url", remote.url) as svc:
            assert validate(svc).status_code == 200
            assert child_pids(svc.process.pid) == []  # no OPA of its own
            stop_opa(remote)
            wait_for(lambda: not ready(svc)["ready"], 15, "remote OPA's absence noticed")
            answer = validate(svc)
            assert answer.status_code == 503, answer.text
            assert answer.json()["error"]["code"] == "unavailable"
            # The same address again (the supervisor keeps its URL).
            remote = _opa_on(port)
            wait_for(lambda: ready(svc)["ready"], 30, "ready again")
            answer = validate(svc)
            assert answer.status_code == 200, answer.text
            assert "Traceback" not in svc.log_text()
    finally:
        stop_opa(remote)


def _opa_on(port: str) -> OpaServer:
    """An OPA on a given loopback port (start_opa picks a free one)."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        [str(opa_binary()), "run", "--server", "--addr", f"127.0.0.1:{port}", "--log-level",
         "error", "--skip-version-check", str(POLICIES)],
        stdout=log, stderr=log,
    )  # fmt: skip
    return OpaServer(f"http://127.0.0.1:{port}", process)


def big_plan(resources: int) -> dict[str, Any]:
    changes = [
        resource_change(f"aws_s3_bucket.b{i}", "aws_s3_bucket",
                        {"bucket": f"bucket-{i}", "tags": {"Environment": "production"}},
                        ["create"])
        for i in range(resources)
    ]  # fmt: skip
    return {"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": changes}


def test_sigterm_lets_a_request_in_flight_finish(tmp_path: Path) -> None:
    body = orjson.dumps(big_plan(2_000))  # some seconds of work
    with running_service(tmp_path) as svc:
        opa = child_pids(svc.process.pid)
        assert opa
        outcome: dict[str, Any] = {}

        def send() -> None:
            try:
                outcome["answer"] = requests.post(
                    svc.url + "/v1/plans?fail_on=none",
                    data=body,
                    headers={**svc.auth("validator"), "Content-Type": "application/json"},
                    timeout=120,
                )
            except requests.RequestException as exc:  # the assertion below says so
                outcome["error"] = exc

        idle = cpu_seconds(svc.process.pid)
        sender = threading.Thread(target=send)
        sender.start()
        # SIGTERM once the service is at work on the request (its CPU time grows).
        wait_for(lambda: cpu_seconds(svc.process.pid) - idle > 0.5, 30, "request in hand")
        svc.process.send_signal(signal.SIGTERM)
        sender.join(timeout=120)
        assert not sender.is_alive()
        assert "error" not in outcome, outcome.get("error")
        answer = outcome["answer"]
        assert answer.status_code == 200, answer.text[:500]
        assert len(answer.json()["report"]["findings"]) >= 2_000
        assert svc.process.wait(timeout=60) == 0, svc.log_text()
        assert not any(pid_alive(p) for p in opa)
        assert "Traceback" not in svc.log_text()
        # It stopped accepting: a new request finds nobody listening.
        try:
            late = requests.get(svc.url + "/healthz", timeout=5)
        except requests.ConnectionError:
            late = None
        assert late is None


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
