"""The CLI builds a command only when it is invoked or listed: running `plan` imports none
of the other commands' modules, and `--help` still lists every command in its order."""

from __future__ import annotations

import json
import subprocess
import sys

import typer.main
from typer.testing import CliRunner

from compliance_opa.cli.app import _COMMANDS, app
from tests.conftest import REPO

OTHER_COMMANDS = (
    "compliance_opa.cli.remediate",
    "compliance_opa.cli.evidence",
    "compliance_opa.cli.serve",
    "compliance_opa.cli.alerts",
    "compliance_opa.cli.policies",
    "compliance_opa.cli.report",
)


def test_plan_help_imports_no_other_command() -> None:
    script = (
        "import sys, json\n"
        "from compliance_opa.cli.app import main\n"
        "sys.argv = ['opa-comply', 'plan', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('compliance_opa.cli'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert "compliance_opa.cli.scan" in loaded
    assert not set(OTHER_COMMANDS) & set(loaded)


def test_help_lists_every_command_in_order() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    listed = ["scan", "plan", "drift", "report", "serve", "token", "version", "collect"]
    listed += ["evidence", "remediate", "alerts", "policies"]  # as before the lazy table
    positions = [result.output.find(f"\u2502 {name} ") for name in listed]
    assert list(_COMMANDS) == listed
    assert all(p > 0 for p in positions), positions
    assert positions == sorted(positions)


def test_every_command_builds_with_its_name() -> None:
    group = typer.main.get_command(app)
    for name in _COMMANDS:
        command = group.get_command(None, name)  # type: ignore[attr-defined]
        assert command is not None
        assert command.name == name
    assert group.get_command(None, "nope") is None  # type: ignore[attr-defined]
