"""scripts/plan_coverage.py as `make plan-coverage` runs it: the real plan adapter and the
real OPA with every bundled check, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.engine.connect import EngineSettings, open_engine
from scripts.plan_coverage import OUT_OF_SCOPE, evaluated_addresses, read_plan_input
from tests.conftest import REPO, opa_binary, run_cli, write_json
from tests.unit.test_plan_coverage import EVALUATED, expected_report, small_plan

SCRIPT = REPO / "scripts" / "plan_coverage.py"
REAL_PLANS = sorted((REPO / "tests" / "fixtures" / "terraform-plans").glob("*.json"))
CORRUPT = "infracost__infracost__cmd__infracost__testdata__plan_with_terraform_wrapper.json"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OPA_BINARY": str(opa_binary())},
        cwd=REPO,
        check=False,
    )


def _report(*args: str | Path) -> dict[str, Any]:
    completed = _run(*args, "--format", "json")
    assert completed.returncode == 0, completed.stderr
    report: dict[str, Any] = json.loads(completed.stdout)
    return report


def test_a_small_plan_with_real_opa_gives_the_exact_figures(tmp_path: Path) -> None:
    path = write_json(tmp_path / "plan.json", small_plan())
    assert _report(path) == expected_report(path)


def test_the_checks_evaluate_what_the_unit_test_assumes(tmp_path: Path) -> None:
    path = write_json(tmp_path / "plan.json", small_plan())
    with open_engine(EngineSettings()) as client:
        evaluated = evaluated_addresses(read_plan_input(path).inventory, client)
    assert evaluated == EVALUATED


def test_out_of_scope_types_are_no_check_s_resource_type() -> None:
    result = run_cli("policies", "list", "--format", "json")
    assert result.code == 0, result.stderr
    judged = {t for c in result.json()["checks"] for t in c["resource_types"]}
    assert sorted(judged & set(OUT_OF_SCOPE)) == []


def test_the_real_plan_fixtures() -> None:
    report = _report("--skip-unreadable", *REAL_PLANS)
    assert [Path(r["path"]).name for r in report["refused"]] == [CORRUPT]
    assert "CI wrapper output" in report["refused"][0]["error"]
    assert len(report["plans"]) == len(REAL_PLANS) - 1
    # Counted from the files alone: what the checks judge does not change these.
    assert (report["resources"], report["out_of_scope"]) == (121, 8)
    assert report["out_of_scope_but_judged"] == []
    assert report["judged"] == sum(p["judged"] for p in report["plans"])
    assert report["share"] == round(report["judged"] / report["in_scope"], 4)
    # The checks of wave 1 alone judged 59 of 113 (52.2%); more checks only add.
    assert report["judged"] >= 59
    assert set(report["uncovered_types"]) <= {t["type"] for t in report["types"]}


def test_the_table(tmp_path: Path) -> None:
    path = write_json(tmp_path / "plan.json", small_plan())
    completed = _run(path)
    assert completed.returncode == 0, completed.stderr
    assert "judged by at least one check: 8 of 11 = 72.7%" in completed.stdout
    assert "uncovered types: aws_made_up_widget, aws_s3_bucket_public_access_block" in (
        completed.stdout
    )


@pytest.mark.parametrize("extra", [[], ["--format", "json"]])
def test_an_unreadable_plan_is_one_line_and_exit_2(extra: list[str]) -> None:
    completed = _run(*REAL_PLANS, *extra)
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("plan_coverage.py: error: ")
    assert CORRUPT in lines[0]
    assert "CI wrapper output" in lines[0]
