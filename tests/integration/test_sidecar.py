"""The managed OPA sidecar: started, gated on health, always stopped, never orphaned."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compliance_opa.engine.binary import binary_version, find_opa_binary
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.sidecar import SIDECAR_URL, ManagedOpa
from compliance_opa.errors import EngineError
from tests.conftest import (
    COMPLIANT,
    REPO,
    assert_one_line_error,
    child_pids,
    opa_binary,
    pid_alive,
    run_cli,
)

SLOW_POLICIES = REPO / "tests" / "fixtures" / "opa" / "slow"


def _wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _start_slow_scan(tmp_path: Path, output: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "OPA_BINARY": str(opa_binary())}
    env.pop("OPA_URL", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "compliance_opa",
            "scan",
            str(COMPLIANT),
            "--policies",
            str(SLOW_POLICIES),
            "--format",
            "json",
            "--output",
            str(output),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


def _sidecar_socket(pid: int) -> str | None:
    """The unix socket of a managed `opa run --server` process, or None for other children."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if b"--server" not in argv:
        return None
    address = argv[argv.index(b"--addr") + 1].decode()
    return address.removeprefix("unix://")


def _healthy_sidecar(process: subprocess.Popen[str]) -> int:
    """Wait until the CLI's sidecar (not its `opa version` probe) answers health."""
    found: list[int] = []

    def sidecar_healthy() -> bool:
        for pid in child_pids(process.pid):
            socket_path = _sidecar_socket(pid)
            if socket_path and OpaClient(SIDECAR_URL, unix_socket=socket_path).healthy():
                found.append(pid)
                return True
        return False

    _wait_for(sidecar_healthy)
    return found[0]


def test_sidecar_serves_and_is_stopped_on_exit() -> None:
    sidecar = ManagedOpa(opa_binary(), REPO / "policies")
    with sidecar as client:
        assert sidecar.process is not None
        pid = sidecar.process.pid
        assert client.healthy()
        assert client.display_url.startswith("unix://")
        socket_dir = Path(client.display_url.removeprefix("unix://")).parent
        # Only our user can reach the socket: nobody else can query or change OPA.
        assert stat.S_IMODE(socket_dir.stat().st_mode) == 0o700
    assert not pid_alive(pid)
    assert not socket_dir.exists()


def test_sidecar_is_stopped_when_the_body_raises() -> None:
    sidecar = ManagedOpa(opa_binary(), REPO / "policies")
    pids: list[int] = []

    def scan_that_fails() -> None:
        with sidecar:
            assert sidecar.process is not None
            pids.append(sidecar.process.pid)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        scan_that_fails()
    assert pids
    assert not pid_alive(pids[0])


def test_broken_policy_directory_is_an_engine_error(tmp_path: Path) -> None:
    (tmp_path / "bad.rego").write_text("package broken\n\nallow if {\n")
    with (
        pytest.raises(EngineError, match="managed OPA exited on start"),
        ManagedOpa(opa_binary(), tmp_path),
    ):
        pass


def test_killing_the_sidecar_mid_scan_exits_3_and_keeps_the_old_report(tmp_path: Path) -> None:
    output = tmp_path / "report.json"
    output.write_text('{"previous": "report"}')
    process = _start_slow_scan(tmp_path, output)
    opa_pid = _healthy_sidecar(process)
    time.sleep(0.5)  # the slow query (many seconds of work) is now in flight
    os.kill(opa_pid, signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 3, stderr
    assert "Traceback" not in stderr
    assert "managed OPA killed by signal 9 during the scan" in stderr
    assert output.read_text() == '{"previous": "report"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_cli_stops_the_sidecar(tmp_path: Path, sig: signal.Signals) -> None:
    process = _start_slow_scan(tmp_path, tmp_path / "report.json")
    opa_pid = _healthy_sidecar(process)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "opa-comply: interrupted" in stderr
    _wait_for(lambda: not pid_alive(opa_pid), timeout=10)
    assert not (tmp_path / "report.json").exists()


def test_a_killed_cli_takes_the_sidecar_with_it(tmp_path: Path) -> None:
    process = _start_slow_scan(tmp_path, tmp_path / "report.json")
    opa_pid = _healthy_sidecar(process)
    socket_path = _sidecar_socket(opa_pid)
    process.kill()  # no cleanup code runs: the kernel's parent-death signal must act
    process.communicate(timeout=30)
    _wait_for(lambda: not pid_alive(opa_pid), timeout=10)
    # A killed CLI cannot remove its private socket directory; the test does.
    assert socket_path is not None
    shutil.rmtree(Path(socket_path).parent, ignore_errors=True)


def test_sidecar_ignores_proxy_settings() -> None:
    # The sidecar is local; a proxy from the environment must not sit in between.
    proxy = {"HTTP_PROXY": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}
    result = run_cli("scan", COMPLIANT, env=proxy)
    assert result.code == 0, result.stderr


def test_missing_opa_binary_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPA_BINARY", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("compliance_opa.engine.binary.project_root", lambda: tmp_path)
    with pytest.raises(EngineError, match=r"OPA binary not found: run `make setup`"):
        find_opa_binary()


def test_missing_opa_binary_from_the_cli_exits_3(tmp_path: Path) -> None:
    result = run_cli("scan", COMPLIANT, env={"OPA_BINARY": str(tmp_path / "opa")})
    assert_one_line_error(result, 3, "not an executable file")


def test_too_old_opa_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "opa"
    fake.write_text("#!/bin/sh\necho 'Version: 1.21.2'\n")
    fake.chmod(0o755)
    with pytest.raises(EngineError, match=r"older than 1\.21\.3"):
        binary_version(fake)
    assert binary_version(opa_binary()) == "1.22.2"
