"""A plan scan loads only what it uses: no report template engine, database driver,
signing library, AWS SDK or mail client for a JSON report of a plan with no state store,
evidence or upload (each costs start time and resident memory on every CI run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, opa_binary

PLAN = (
    REPO
    / "tests/fixtures/terraform-plans"
    / ("bridgecrewio__checkov__tests__terraform__runner__resources__plan__tfplan.json")
)
# Loaded only by the features that need them (see each module's import comment).
NOT_NEEDED = ("jinja2", "psycopg2", "cryptography", "boto3", "botocore", "smtplib")
# The alert channels' implementations: a scan with no channel configured needs none.
CHANNELS = tuple(
    f"compliance_opa.alerts.{name}"
    for name in ("email", "github", "jira", "pagerduty", "slack", "tickets")
)
# What a plan scan does need: OPA's HTTP client, the format checks of the inventory
# schema, the terminal of the CLI.
NEEDED = ("requests", "jsonschema", "rich")

PROBE = """
import atexit, json, runpy, sys
out = sys.argv[1]
atexit.register(lambda: json.dump(sorted(sys.modules), open(out, "w")))
sys.argv = ["opa-comply", *sys.argv[2:]]
runpy.run_module("compliance_opa", run_name="__main__")
"""


def test_a_plan_scan_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    modules_file = tmp_path / "modules.json"
    report = tmp_path / "report.json"
    env = {**os.environ, "OPA_BINARY": str(opa_binary())}
    env.pop("OPA_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(modules_file), "plan", str(PLAN),
         "--format", "json", "--output", str(report), "--fail-on", "none", "--quiet"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text())["findings"]  # a real scan ran
    modules = set(json.loads(modules_file.read_text()))
    assert not modules & set(CHANNELS), sorted(modules & set(CHANNELS))
    loaded = {name.split(".")[0] for name in modules}
    assert not loaded & set(NOT_NEEDED), sorted(loaded & set(NOT_NEEDED))
    assert set(NEEDED) <= loaded  # the probe sees what the scan imports
