"""Hostile inventory snapshots and parameters: a collection dated in the future, check
parameters out of any sensible range. Refused with one line naming the file and the
place in it (exit 2), never judged on."""

from __future__ import annotations

import codecs
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.errors import InputError
from compliance_opa.inventory.load import load_inventory
from tests.conftest import COMPLIANT, REPO, assert_one_line_error, load_example, run_cli

# --- collected_at ---------------------------------------------------------------------


def _snapshot(tmp_path: Path, collected_at: str, *, utf16: bool = False) -> Path:
    document = load_example(COMPLIANT)
    document["collected_at"] = collected_at
    path = tmp_path / "inventory.json"
    text = json.dumps(document)
    # UTF-16 goes to the whole-document loader, UTF-8 to the resource-by-resource reader.
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le") if utf16 else text.encode())
    return path


@pytest.mark.parametrize("utf16", [False, True], ids=["streamed", "whole"])
@pytest.mark.parametrize("collected_at", ["9999-12-31T23:59:59Z", "2999-01-01t00:00:00z"])
def test_a_snapshot_collected_in_the_future_is_refused(
    tmp_path: Path, utf16: bool, collected_at: str
) -> None:
    path = _snapshot(tmp_path, collected_at, utf16=utf16)
    result = run_cli("scan", path, "--format", "json")
    assert_one_line_error(result, 2, str(path), "$.collected_at", "in the future")
    assert result.stdout == ""


def test_a_snapshot_a_little_ahead_of_this_clock_is_judged(tmp_path: Path) -> None:
    """Clock skew between the collecting machine and this one is allowed (5 minutes)."""
    ahead = (datetime.now(UTC) + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    inventory = load_inventory(_snapshot(tmp_path, ahead))
    assert inventory.document["collected_at"] == ahead


def test_a_live_collection_dated_in_the_future_is_refused_too(tmp_path: Path) -> None:
    """The same check whatever reads the file: here the whole-document loader."""
    path = _snapshot(tmp_path, "2999-01-01T00:00:00+02:00")
    with pytest.raises(InputError, match=r"\$\.collected_at .* is in the future"):
        load_inventory(path, stream=False)


# --- parameters -------------------------------------------------------------------------

DEFAULTS: dict[str, Any] = json.loads(
    (REPO / "policies" / "config" / "data.json").read_text(encoding="utf-8")
)


def test_every_parameter_has_a_range_and_the_defaults_are_in_it() -> None:
    from compliance_opa.inventory.parameters import check_parameters, parameters_schema

    schema = parameters_schema()
    assert set(schema["properties"]) == set(DEFAULTS)
    check_parameters("data.json", DEFAULTS)  # raises when a default is out of range


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("minimum_backup_retention_days", -1, "less than the minimum of 1"),
        ("minimum_backup_retention_days", 0, "less than the minimum of 1"),
        ("minimum_backup_retention_days", 36, "greater than the maximum of 35"),
        ("minimum_password_length", 0, "less than the minimum of 8"),
        ("minimum_password_length", 129, "greater than the maximum of 128"),
        ("password_reuse_prevention", 25, "greater than the maximum of 24"),
        ("credential_max_age_days", -90, "less than the minimum of 1"),
        ("credential_max_age_days", 100000, "greater than the maximum of 365"),
        ("minimum_log_retention_days", 0, "less than the minimum of 1"),
        ("minimum_tls_version", "TLSv1", "is not one of"),
        ("minimum_tls_version", "tls1.2", "is not one of"),
        ("classified_data_classes", [], "should be non-empty"),
        ("classified_data_classes", ["PII"], "lower case"),
        ("production_environments", ["Production"], "lower case"),
        ("production_environments", [" prod"], "lower case"),
        ("environment_tag_keys", [], "should be non-empty"),
        ("environment_tag_keys", [""], "should be non-empty"),
        ("allowed_regions", ["eu-west-1", "eu-west-1"], "non-unique"),
        ("allowed_regions", ["Europe"], "an AWS region"),
        ("evidence_retention_days", {"gdpr": 2555}, "is a required property"),
        ("evidence_retention_days", {**DEFAULTS["evidence_retention_days"], "sox": 1}, "'sox'"),
        ("evidence_retention_days", {**DEFAULTS["evidence_retention_days"], "gdpr": 0}, "minimum"),
    ],
)
def test_a_parameter_out_of_range_is_refused(name: str, value: Any, fragment: str) -> None:
    from compliance_opa.inventory.parameters import check_parameters

    with pytest.raises(InputError) as caught:
        check_parameters("opa-comply.yaml", {name: value})
    message = str(caught.value)
    assert message.startswith(f"opa-comply.yaml: parameters.{name}")
    assert fragment in message
    assert "\n" not in message


def test_parameters_within_range_are_accepted() -> None:
    from compliance_opa.inventory.parameters import check_parameters

    check_parameters(
        "opa-comply.yaml",
        {
            "minimum_backup_retention_days": 35,
            "minimum_password_length": 8,
            "allowed_regions": [],  # nothing allowed: strictest, not off
            "admin_roles": [],
            "minimum_tls_version": "TLSv1.3",
        },
    )


def test_a_config_with_a_parameter_out_of_range_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text("parameters:\n  minimum_backup_retention_days: -1\n", encoding="utf-8")
    result = run_cli("scan", COMPLIANT, "--config", config)
    assert_one_line_error(
        result, 2, str(config), "parameters.minimum_backup_retention_days", "minimum of 1"
    )
