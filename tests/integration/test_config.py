"""`--config`: parameter overrides reach OPA; bad files are exit 2 with a clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import COMPLIANT, assert_one_line_error, load_example, run_cli, write_json


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "opa-comply.yaml"
    path.write_text(text)
    return path


def test_overrides_change_what_the_checks_decide(tmp_path: Path) -> None:
    # A personal-data resource in eu-west-1 is fine by default; a config allowing
    # only eu-central-1 makes the residency parameter reach the checks.
    document = load_example(COMPLIANT)
    document["resources"][0]["data_classes"] = ["pii"]  # billing, in eu-west-1
    inventory = write_json(tmp_path / "inv.json", document)
    default = run_cli("scan", inventory, "--format", "json")
    assert default.code == 0, default.stderr
    assert not [f for f in default.json()["findings"] if f["check_id"] == "AWS-REG-001"]
    config = _config(tmp_path, "parameters:\n  allowed_regions: [eu-central-1]\n")
    result = run_cli("scan", inventory, "--config", config, "--format", "json")
    assert result.code == 1, result.stderr
    report = result.json()
    assert report["scan"]["parameters"] == {"allowed_regions": ["eu-central-1"]}
    [residency] = [f for f in report["findings"] if f["check_id"] == "AWS-REG-001"]
    assert residency["status"] == "fail"
    assert residency["resource"].endswith(":db:billing")


def test_config_reaches_opa_as_input_parameters(tmp_path: Path) -> None:
    from compliance_opa.config.load import load_parameters
    from compliance_opa.inventory.load import load_inventory, opa_input

    config = _config(tmp_path, "parameters:\n  minimum_log_retention_days: 400\n")
    document = opa_input([load_inventory(COMPLIANT)], load_parameters(config))
    assert document["parameters"] == {"minimum_log_retention_days": 400}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("parameters:\n  allowed_region: [x]\n", "parameters.allowed_region: unknown parameter"),
        ("parameters:\n  credential_max_age_days: ninety\n", "expected integer, got string"),
        ("parameters:\n  allowed_regions: [1, 2]\n", "every item must be like the default's"),
        ("parameter:\n  x: 1\n", "unknown key 'parameter'"),
        ("parameters: [1]\n", "expected a mapping of name -> value"),
        ("parameters:\n  a: [\n", "invalid YAML at line 3 column 1"),
        ("- 1\n", "expected a mapping with a `parameters` key"),
    ],
)
def test_bad_config_exits_2(tmp_path: Path, text: str, fragment: str) -> None:
    result = run_cli("scan", COMPLIANT, "--config", _config(tmp_path, text))
    assert_one_line_error(result, 2, "opa-comply.yaml", fragment)


def test_missing_config_exits_2(tmp_path: Path) -> None:
    result = run_cli("scan", COMPLIANT, "--config", tmp_path / "none.yaml")
    assert_one_line_error(result, 2, "none.yaml: no such file")
