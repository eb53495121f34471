"""The managed sidecar trusts its policies no more than it must: a policy cannot read the
CLI's secrets from its environment, and a killed run's socket folder is removed by the
next run, never a live run's."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.sidecar import SIDECAR_URL, ManagedOpa
from tests.conftest import (
    COMPLIANT,
    POLICIES,
    REPO,
    TEST_STATE_HOME,
    child_pids,
    opa_binary,
    pid_alive,
    run_cli,
)

SECRET = "s3cr3t-0f-the-cli-7d41"
SLOW_POLICIES = REPO / "tests" / "fixtures" / "opa" / "slow"
SLOW_SCAN_FLAGS = ("--policies", str(SLOW_POLICIES), "--format", "json")

# A check that reports the environment OPA runs in as each finding's message.
LEAKING_CHECK = """# METADATA
# title: Reads the environment
# description: A hostile check that copies opa.runtime().env into its findings.
# scope: package
# custom:
#   id: TEST-LEAK-001
#   severity: critical
#   resource_types: [aws_s3_bucket]
#   controls:
#     soc2: ["A1.2"]
#   remediation: None.
package checks.aws.leak.env

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(rego.metadata.chain(), r, json.marshal(opa.runtime().env)) if {
	some r in resources
}
"""


def _wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.fixture
def leaking_policies(tmp_path: Path) -> Path:
    copy = tmp_path / "policies"
    shutil.copytree(POLICIES, copy)
    (copy / "checks" / "aws" / "leak").mkdir()
    (copy / "checks" / "aws" / "leak" / "env.rego").write_text(LEAKING_CHECK)
    (copy / "leak.rego").write_text("package leak\n\nenv := opa.runtime().env\n")
    return copy


# --- 12. The sidecar does not see the CLI's environment ------------------------------------


def test_a_policy_cannot_read_the_clis_secrets_through_a_finding(leaking_policies: Path) -> None:
    result = run_cli(
        "scan",
        COMPLIANT,
        "--policies",
        leaking_policies,
        "--format",
        "json",
        env={"OPA_COMPLY_TEST_SECRET": SECRET, "AWS_SECRET_ACCESS_KEY": SECRET},
    )
    assert result.code == 1, result.stderr  # the leaking check ran and found
    leaked = [f for f in result.json()["findings"] if f["check_id"] == "TEST-LEAK-001"]
    assert leaked
    assert SECRET not in result.stdout
    assert SECRET not in result.stderr
    assert "OPA_COMPLY_TEST_SECRET" not in leaked[0]["message"]


def test_the_sidecar_environment_holds_only_what_opa_needs(
    leaking_policies: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPA_COMPLY_TEST_SECRET", SECRET)
    monkeypatch.setenv("OPA_TOKEN", SECRET)
    monkeypatch.setenv("PGPASSWORD", SECRET)
    monkeypatch.setenv("GOMAXPROCS", "2")
    with ManagedOpa(opa_binary(), leaking_policies) as client:
        env = client.evaluate({}, "leak/env").result
        socket_path = Path(client.display_url.removeprefix("unix://"))
        mode = stat.S_IMODE(socket_path.stat().st_mode)
    assert SECRET not in json.dumps(env)
    assert set(env) <= {"GOMAXPROCS", "GOMEMLIMIT", "GOGC", "GODEBUG", "TZ", "TMPDIR"}
    assert env["GOMAXPROCS"] == "2"  # runtime tuning still reaches OPA
    assert mode == 0o600  # only our user may talk to it, even were the folder opened


# --- 18. A killed run's socket folder is removed by the next run ---------------------------


def _start_slow_scan() -> subprocess.Popen[str]:
    env = {**os.environ, "OPA_BINARY": str(opa_binary()), "XDG_STATE_HOME": TEST_STATE_HOME}
    env.pop("OPA_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "compliance_opa", "scan", str(COMPLIANT), *SLOW_SCAN_FLAGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


def _sidecar_dir(cli: subprocess.Popen[str]) -> Path:
    """The socket folder of the CLI's sidecar, once it serves."""
    found: list[Path] = []
    _wait_for(lambda: _serving_dir(cli.pid, found))
    return found[0]


def _serving_dir(cli: int, found: list[Path]) -> bool:
    for pid in child_pids(cli):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--server" in argv:
            address = argv[argv.index(b"--addr") + 1].decode().removeprefix("unix://")
            if OpaClient(SIDECAR_URL, unix_socket=address).healthy():
                found.append(Path(address).parent)
                return True
    return False


def _backdate(path: Path, seconds: float = 3600) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _dead_pid() -> int:
    probe = subprocess.Popen(["true"])
    probe.wait()
    assert not pid_alive(probe.pid)
    return probe.pid


@pytest.fixture
def planted() -> Iterator[list[Path]]:
    made: list[Path] = []
    yield made
    for path in made:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.exists():
            shutil.rmtree(path, ignore_errors=True)


def _plant(made: list[Path], pid: int, old: bool = True) -> Path:
    path = Path(tempfile.mkdtemp(prefix=f"opa-comply-sidecar-{pid}-"))
    (path / "opa.sock").write_bytes(b"")
    made.append(path)
    if old:
        _backdate(path)
    return path


def test_a_killed_runs_socket_folder_is_removed_by_the_next_run() -> None:
    process = _start_slow_scan()
    try:
        folder = _sidecar_dir(process)
        opa_pids = child_pids(process.pid)
        process.kill()  # no cleanup runs
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
    _wait_for(lambda: not any(pid_alive(p) for p in opa_pids), timeout=10)
    assert folder.exists()  # what SIGKILL leaves behind
    _backdate(folder)
    try:
        result = run_cli("scan", COMPLIANT, "--format", "json")
        assert result.code == 0, result.stderr
        assert not folder.exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_folders_that_may_be_alive_or_are_not_ours_are_kept(planted: list[Path]) -> None:
    dead = _dead_pid()
    stale = _plant(planted, dead)
    live_pid = _plant(planted, os.getpid())  # this process runs
    young = _plant(planted, dead, old=False)  # may be a run starting in another namespace
    listening = _plant(planted, dead)
    (listening / "opa.sock").unlink()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(listening / "opa.sock"))
    server.listen()
    _backdate(listening)
    elsewhere = Path(tempfile.mkdtemp(prefix="opa-comply-not-a-sidecar-"))
    planted.append(elsewhere)
    link = Path(tempfile.gettempdir()) / f"opa-comply-sidecar-{dead}-link"
    link.symlink_to(elsewhere, target_is_directory=True)
    planted.append(link)
    lookalike = Path(tempfile.gettempdir()) / f"opa-comply-sidecar-{dead}-file"
    lookalike.write_text("not a folder")
    planted.append(lookalike)
    _backdate(elsewhere)
    try:
        with ManagedOpa(opa_binary(), POLICIES) as client:
            assert client.healthy()
    finally:
        server.close()
    assert not stale.exists()
    for kept in (live_pid, young, listening, elsewhere, link, lookalike):
        assert kept.exists() or kept.is_symlink(), kept


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder away")
def test_another_users_folder_is_kept(planted: list[Path]) -> None:
    theirs = _plant(planted, _dead_pid())
    os.chown(theirs, 65534, 65534)
    _backdate(theirs)
    with ManagedOpa(opa_binary(), POLICIES):
        pass
    assert theirs.exists()


def test_the_sidecar_folder_names_its_process() -> None:
    sidecar = ManagedOpa(opa_binary(), POLICIES)
    with sidecar as client:
        folder = Path(client.display_url.removeprefix("unix://")).parent
        assert folder.name.startswith(f"opa-comply-sidecar-{os.getpid()}-")
    assert not folder.exists()


def test_sigterm_leaves_no_folder_behind() -> None:
    process = _start_slow_scan()
    try:
        folder = _sidecar_dir(process)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
    assert process.returncode == 130
    assert not folder.exists()
