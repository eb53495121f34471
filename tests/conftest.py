"""Shared fixtures: the real OPA binary, real OPA servers on loopback, the real CLI."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.receivers import HttpReceiver

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
POLICIES = REPO / "policies"
VIOLATING = [EXAMPLES / "aws-production.json", EXAMPLES / "postgres-orders.json"]
COMPLIANT = EXAMPLES / "compliant" / "hardened.json"
TEST_STATE_HOME = tempfile.mkdtemp(prefix="opa-comply-test-state-")


def opa_binary() -> Path:
    configured = os.environ.get("OPA_BINARY")
    return Path(configured) if configured else REPO / ".tools" / "bin" / "opa"


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 120
) -> CliResult:
    """Run the real command in a subprocess, as a user would."""
    # Scans record history in the default state store: a private one for the test run.
    full_env = {
        **os.environ,
        "OPA_BINARY": str(opa_binary()),
        "XDG_STATE_HOME": TEST_STATE_HOME,
        **(env or {}),
    }
    for name in ("OPA_URL", "OPA_TOKEN", "OPA_CA_BUNDLE", "OPA_COMPLY_STATE"):
        if env is None or name not in env:
            full_env.pop(name, None)
    completed = subprocess.run(
        [sys.executable, "-m", "compliance_opa", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=REPO,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


def assert_one_line_error(result: CliResult, code: int, *fragments: str) -> None:
    assert result.code == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("opa-comply: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class OpaServer:
    url: str
    process: subprocess.Popen[bytes]


def start_opa(
    *paths: Path, extra: tuple[str, ...] = (), scheme: str = "http", ready_timeout: float = 30
) -> OpaServer:
    """Start `opa run --server` on a free loopback port and wait until it answers."""
    port = free_port()
    # A file, not a pipe: nobody drains it, and OPA must never block on a full pipe.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        [
            str(opa_binary()),
            "run",
            "--server",
            "--addr",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
            "--skip-version-check",
            *extra,
            *map(str, paths),
        ],
        stdout=log,
        stderr=log,
    )
    url = f"{scheme}://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"opa exited: {log.read()!r}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return OpaServer(url, process)
        except OSError:
            time.sleep(0.05)
    stop_opa(OpaServer(url, process))
    raise RuntimeError("opa did not start listening")


def stop_opa(server: OpaServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def opa_server() -> Iterator[OpaServer]:
    """A plain OPA serving the project's policies, as a user's remote OPA would."""
    server = start_opa(POLICIES)
    deadline = time.monotonic() + 30
    while not _healthy(server.url):
        if time.monotonic() > deadline:
            stop_opa(server)
            raise RuntimeError("opa serving policies/ never became healthy")
        time.sleep(0.05)
    yield server
    stop_opa(server)


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/health?bundles", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def load_example(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid`` from /proc (Linux), whichever of its threads started
    them (the CLI starts its OPA sidecar from a worker thread)."""
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in children.read_text().split()]
        except OSError:
            continue
    return found


def pid_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.split(")")[-1].split()[0] != "Z"  # a zombie has exited


# Alert receivers on loopback: PagerDuty answers 202 like the Events API, webhooks 200.
@pytest.fixture
def pagerduty() -> Iterator[HttpReceiver]:
    with HttpReceiver(default_status=202, default_body=b'{"status":"success"}') as receiver:
        yield receiver


@pytest.fixture
def webhook() -> Iterator[HttpReceiver]:
    with HttpReceiver() as receiver:
        yield receiver


def kill_when(
    process: subprocess.Popen[bytes], ready: Callable[[], bool], what: str, timeout: float = 60
) -> None:
    """SIGKILL `process` as soon as `ready()` holds; polled, and bounded by `timeout`."""
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            if process.poll() is not None:
                pytest.fail(f"the process ended on its own (exit {process.returncode}): {what}")
            if time.monotonic() > deadline:
                pytest.fail(f"gave up after {timeout:g} s waiting until {what}")
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def unprivileged(command: list[str]) -> list[str]:
    """`command` run as nobody (root writes and reads anywhere, whatever the modes), or a
    skip where this checkout cannot be run by another user (a clone in a private home)."""
    if os.geteuid() != 0:
        pytest.skip("switching to another user needs root")
    switch = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*switch, sys.executable, "-c", "import compliance_opa"],
        cwd=REPO, capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    if probe.returncode != 0:
        pytest.skip("this checkout cannot be read by an unprivileged user")
    return [*switch, *command]
