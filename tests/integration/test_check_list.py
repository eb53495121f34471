"""`opa-comply policies list`, docs/checks.md, and the library's size and catalogue mapping."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from tests.conftest import POLICIES, REPO, run_cli

FRAMEWORKS = ("gdpr", "hipaa", "pci_dss", "soc2", "iso27001")


@cache
def _listed() -> dict[str, Any]:
    result = run_cli("policies", "list", "--format", "json")
    assert result.code == 0, result.stderr
    document: dict[str, Any] = result.json()
    return document


def test_library_size_and_framework_coverage() -> None:
    listed = _listed()
    assert len(listed["checks"]) >= 70
    for framework in FRAMEWORKS:
        assert listed["by_framework"][framework] >= 25, framework
        mapped = [c for c in listed["checks"] if c["controls"].get(framework)]
        assert len(mapped) == listed["by_framework"][framework]


def test_every_control_a_check_names_is_in_its_catalogue() -> None:
    unknown = []
    for framework in FRAMEWORKS:
        catalogue = json.loads((POLICIES / "frameworks" / framework / "data.json").read_text())
        for check in _listed()["checks"]:
            for control in check["controls"].get(framework, []):
                if control not in catalogue["controls"]:
                    unknown.append(f"{check['check_id']}: {framework} {control}")
    assert unknown == []


def test_framework_filter() -> None:
    result = run_cli("policies", "list", "--framework", "pci_dss", "--format", "json")
    checks = result.json()["checks"]
    assert checks
    assert all(c["controls"].get("pci_dss") for c in checks)
    assert len(checks) == _listed()["by_framework"]["pci_dss"]


def test_docs_checks_md_is_in_sync() -> None:
    result = run_cli("policies", "list", "--format", "markdown")
    assert result.code == 0, result.stderr
    committed = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    assert committed == result.stdout, (
        "docs/checks.md is stale: run "
        "`.venv/bin/opa-comply policies list --format markdown > docs/checks.md`"
    )


def test_table_lists_every_check() -> None:
    result = run_cli("policies", "list", env={"COLUMNS": "250"})
    assert result.code == 0, result.stderr
    for check in _listed()["checks"]:
        assert check["check_id"] in result.stdout
