"""The "Audit activity in the period" section end to end: a scan of an inventory holding a
PostgreSQL and a CloudTrail audit-log summary (hostile text in the fields shown) writes it
in every report, and the HTML report shows it in a real headless Chromium with the text
escaped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from compliance_opa.reports import FILE_NAMES
from tests.audit_support import SHA_A, SHA_B, SHA_C, cloudtrail_summary, postgresql_summary
from tests.browser_support import headless_chromium
from tests.conftest import REPO, run_cli, write_json

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    pg, ct = postgresql_summary(), cloudtrail_summary()
    inventory = write_json(
        folder / "audit-summary.json",
        {
            "schema_version": "1",
            "snapshot_id": "audit-2026-11",
            "collected_at": "2026-12-01T02:00:00Z",
            "sources": [
                {"kind": "audit_log", "scope": "clinic-primary", "status": "complete"},
                {"kind": "audit_log", "scope": "s3://trail-logs/org", "status": "complete"},
            ],
            "resources": [pg, ct],
        },
    )
    out = folder / "reports"
    result = run_cli("scan", inventory, "--report-dir", out, "--fail-on", "none")
    assert result.code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with headless_chromium() as chrome:
        yield chrome


def test_the_scan_reports_the_audit_activity(reports: Path) -> None:
    document = json.loads((reports / FILE_NAMES["json"]).read_text(encoding="utf-8"))
    kinds = {a["kind"]: a for a in document["audit_activity"]}
    assert kinds["postgresql"]["counts"]["total_operations"] == 1234
    assert kinds["cloudtrail"]["counts"]["digest_problems"] == 2
    evidence = document["assessment"]["evidence"]["audit_sources"]
    assert sorted(e["sha256"] for e in evidence) == [SHA_A, SHA_B, SHA_C]
    markdown = (reports / FILE_NAMES["markdown"]).read_text(encoding="utf-8")
    assert "## Audit activity in the period" in markdown
    assert "<img" not in markdown
    oscal = json.loads((reports / FILE_NAMES["oscal"]).read_text(encoding="utf-8"))
    observations = oscal["assessment-results"]["results"][0]["observations"]
    assert sum(o["methods"] == ["EXAMINE"] for o in observations) == 2


def test_the_html_section_shows_the_counts_with_hostile_text_escaped(
    browser: webdriver.Chrome, reports: Path
) -> None:
    page = reports / FILE_NAMES["html"]
    browser.get(page.as_uri())
    assert browser.title.startswith("opa-comply compliance report")
    log = browser.get_log("browser")  # type: ignore[no-untyped-call]
    assert [e for e in log if e["level"] == "SEVERE"] == []
    section = browser.find_element(By.ID, "audit-activity")
    assert section.is_displayed()
    assert "Audit activity in the period" in section.text
    audits = section.find_elements(By.CSS_SELECTOR, "div.audit")
    assert [a.get_attribute("data-kind") for a in audits] == ["postgresql", "cloudtrail"]
    total = section.find_element(By.CSS_SELECTOR, 'div.audit[data-kind="postgresql"] '
                                 'tr[data-count="total_operations"]')  # fmt: skip
    assert total.text == "Total operations 1234"
    root = section.find_element(By.CSS_SELECTOR, 'details[data-list="root_activity"] summary')
    assert root.text == "Root user activity: 1 shown of 600"
    # The hostile user name reads as text: no element made of it, no script run.
    assert browser.title != "pwned"
    assert browser.find_elements(By.CSS_SELECTOR, "#audit-activity img") == []
    assert browser.find_elements(By.CSS_SELECTOR, "#audit-activity a") == []
    roles = section.find_element(By.CSS_SELECTOR, 'details[data-list="role_statements"]')
    assert "<img src=x onerror=" in roles.text
    assert "\\x1b[31m" in roles.text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("arguments[0].scrollIntoView()", section)
    assert browser.save_screenshot(str(ARTIFACTS / "html-report-audit.png"))
