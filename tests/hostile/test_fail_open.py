"""Fail-open paths: waivers and YAML that would quietly turn the gate green, outputs that
would overwrite an input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import VIOLATING, assert_one_line_error, run_cli

EXPIRES = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()


def waivers_file(folder: Path, *entries: str) -> Path:
    path = folder / "waivers.yaml"
    path.write_text("waivers:\n" + "".join(entries))
    return path


def entry(check: str, resource: str, extra: str = "") -> str:
    return (
        f'  - check: "{check}"\n    resource: "{resource}"\n    reason: accepted\n'
        f"    owner: team\n    approver: lead\n    ticket: SEC-1\n    expires: {EXPIRES}\n" + extra
    )


def test_a_waiver_key_given_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    # YAML's last key would win: `check: "*"` would waive every check.
    path = waivers_file(tmp_path, entry("AWS-RDS-001", "*", '    check: "*"\n'))
    result = run_cli("scan", *VIOLATING, "--waivers", path, "--format", "json")
    assert_one_line_error(
        result, 2, str(path), "line 9", "key 'check' given twice (first at line 2)"
    )


@pytest.mark.parametrize("section", ["waivers", "parameters"])
def test_a_config_section_given_twice_is_refused(tmp_path: Path, section: str) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(f"{section}: {{}}\nreport:\n  threshold: 0.9\n{section}: {{}}\n")
    result = run_cli("scan", *VIOLATING, "--config", config, "--format", "json")
    assert_one_line_error(result, 2, str(config), "line 4", f"key '{section}' given twice")


def test_a_blanket_waiver_must_say_it_is_broad(tmp_path: Path) -> None:
    path = waivers_file(tmp_path, entry("*", "*"))
    result = run_cli("scan", *VIOLATING, "--waivers", path, "--format", "json")
    assert_one_line_error(result, 2, "waivers[0]", "both `*`", "broad: true")


def test_a_declared_broad_waiver_is_warned_on_every_run_even_when_quiet(tmp_path: Path) -> None:
    path = waivers_file(tmp_path, entry("*", "*", "    broad: true\n"))
    result = run_cli("scan", *VIOLATING, "--waivers", path, "--format", "json", "--quiet")
    assert result.code == 0, result.stderr
    assert "waiver" in result.stderr
    assert "is broad: it waived" in result.stderr


def test_a_wildcard_waiver_that_waives_much_must_say_it_is_broad(tmp_path: Path) -> None:
    path = waivers_file(tmp_path, entry("AWS-*", "*"))
    result = run_cli("scan", *VIOLATING, "--waivers", path, "--format", "json")
    assert_one_line_error(result, 2, "waivers[0]", "more than waivers.broad_share", "broad")


def test_a_precise_waiver_is_not_broad(tmp_path: Path) -> None:
    orders = "arn:aws:rds:eu-west-1:123456789012:db:orders"
    path = waivers_file(tmp_path, entry("AWS-RDS-001", orders))
    result = run_cli("scan", *VIOLATING, "--waivers", path, "--format", "json", "--fail-on", "none")
    assert result.code == 0, result.stderr
    assert "broad" not in result.stderr
    waived = [f for f in result.json()["findings"] if f["status"] == "waived"]
    assert [(f["check_id"], f["resource"]) for f in waived] == [("AWS-RDS-001", orders)]


def test_an_output_that_is_an_input_is_refused_before_anything_runs(tmp_path: Path) -> None:
    inventory = tmp_path / "estate.json"
    inventory.write_bytes(VIOLATING[0].read_bytes())
    before = inventory.read_bytes()
    link = tmp_path / "link.json"
    link.symlink_to(inventory)
    for option, target in (("--output", inventory), ("--output", link)):
        result = run_cli("scan", inventory, option, target, "--format", "json")
        assert_one_line_error(result, 2, f"{option} {target}", "is an input of this scan")
    # A folder input stands for its *.json files: --report-dir onto it would replace one.
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "opa-comply.json").write_bytes(before)
    result = run_cli("scan", folder, "--report-dir", folder)
    assert_one_line_error(result, 2, "--report-dir", "is an input of this scan")
    # Caught before collecting: no AWS account is reached.
    result = run_cli("scan", inventory, "--collect", "aws", "--save-snapshot", link)
    assert_one_line_error(result, 2, "--save-snapshot", "is an input of this scan")
    assert inventory.read_bytes() == before
    assert (folder / "opa-comply.json").read_bytes() == before


def test_the_null_device_is_a_valid_output() -> None:
    result = run_cli("scan", *VIOLATING, "--output", "/dev/null", "--fail-on", "none")
    assert result.code == 0, result.stderr
    assert result.stdout == ""


def test_waived_findings_are_not_counted_as_passed_and_summaries_agree(tmp_path: Path) -> None:
    path = waivers_file(tmp_path, entry("*", "*", "    broad: true\n"))
    document = run_cli("scan", *VIOLATING, "--waivers", path, "--format", "json").json()
    summary = document["summary"]
    assert summary["waived"] > 0
    assert summary["passed"] + summary["waived"] + summary["failed"] <= summary["evaluations"]
    # Before: the summary said compliant (waived counted as passed) while every framework
    # said non_compliant (judged before the waivers). Now both come from the same results.
    assert summary["status"] == "non_compliant"
    assert {f["status"] for f in summary["frameworks"].values()} == {"non_compliant"}
    assert summary["compliance_rate"] == round(summary["passed"] / summary["evaluations"], 4)


def test_evidence_verify_refuses_a_config_key_given_twice(tmp_path: Path) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text("evidence:\n  store: one\nevidence:\n  store: two\n")
    result = run_cli("evidence", "verify", "--config", config)
    assert_one_line_error(result, 2, str(config), "line 3", "key 'evidence' given twice")
