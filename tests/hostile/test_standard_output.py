"""Standard output that goes away: a closed pipe or a closed descriptor is exit 3 with one
line, and a recorded scan stays incomplete (no evidence record), as for a full disk."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, TEST_STATE_HOME, VIOLATING, opa_binary, unprivileged

ENV = {**os.environ, "OPA_BINARY": str(opa_binary()), "XDG_STATE_HOME": TEST_STATE_HOME}


def run_into_closed_pipe(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run the CLI with standard output a pipe whose reader has already gone."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "compliance_opa", *map(str, args)],
            stdout=writer, stderr=subprocess.PIPE, text=True, cwd=REPO,
            env=env or ENV, timeout=120, check=False,
        )  # fmt: skip
    finally:
        os.close(writer)
    return done.returncode, done.stderr


@pytest.mark.parametrize("output_format", ["json", "table", "sarif"])
def test_a_closed_pipe_is_exit_3(output_format: str) -> None:
    code, stderr = run_into_closed_pipe(
        "scan", *VIOLATING, "--format", output_format, "--fail-on", "none"
    )
    assert code == 3, stderr
    assert stderr.strip().splitlines() == [
        "opa-comply: error: cannot write to standard output: the reader closed the pipe"
    ]


@pytest.mark.parametrize("command", [["policies", "list"], ["alerts", "list"]])
def test_a_closed_pipe_under_a_listing_is_exit_3(command: list[str], tmp_path: Path) -> None:
    state = ["--state", str(tmp_path / "state.db")] if command[0] == "alerts" else []
    code, stderr = run_into_closed_pipe(*command, *state)
    assert code == 3, stderr
    assert "the reader closed the pipe" in stderr


def test_a_drift_into_a_closed_pipe_is_not_complete_and_keeps_no_evidence(tmp_path: Path) -> None:
    state, home = tmp_path / "state.db", tmp_path / "home"
    env = {**ENV, "XDG_STATE_HOME": str(home)}
    code, stderr = run_into_closed_pipe(
        "drift", VIOLATING[0], "--state", state, "--format", "json", env=env
    )
    assert code == 3, stderr
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT complete FROM scans").fetchall() == [(0,)]
    evidence = home / "opa-comply" / "evidence"
    assert not evidence.exists() or not any(evidence.rglob("*.json"))


def test_a_closed_standard_output_is_exit_3_with_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compliance_opa", "scan", *map(str, VIOLATING), "--format", "json"],
        stderr=subprocess.PIPE, text=True, cwd=REPO, env=ENV, timeout=120, check=False,
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert done.stderr.strip().splitlines() == [
        "opa-comply: error: cannot write to standard output: it is closed"
    ]


def test_an_output_folder_that_cannot_be_written_is_refused_before_the_scan() -> None:
    # As an unprivileged user (root writes anywhere): a folder of root's, mode 0755.
    folder = Path("/tmp") / f"opa-comply-readonly-{os.getpid()}"
    folder.mkdir(mode=0o755, exist_ok=True)
    try:
        done = subprocess.run(
            unprivileged([sys.executable, "-m", "compliance_opa", "scan", *map(str, VIOLATING),
             "--output", str(folder / "report.json"), "--format", "json"]),
            capture_output=True, text=True, cwd=REPO,
            env={**ENV, "XDG_STATE_HOME": "/tmp", "HOME": "/tmp"}, timeout=120, check=False,
        )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"opa-comply: error: --output {folder}/report.json: {folder} is not writable"
    ]
