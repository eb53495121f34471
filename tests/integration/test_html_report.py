"""The HTML report in a real headless Chromium (Debian's chromium and chromedriver,
installed by `make test`): it renders without console errors, shows coverage gaps and
charts, and its filters change the visible rows. A screenshot is kept as an artifact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser_support import headless_chromium
from tests.conftest import REPO, VIOLATING, load_example, run_cli, write_json

ARTIFACTS = REPO / "test-artifacts"
EVIL = "<img src=x onerror=\"document.title='pwned'\">"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with headless_chromium() as chrome:
        yield chrome


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    document = load_example(VIOLATING[0])
    document["sources"].append(
        {"kind": "aws", "scope": "123456789012/kms/eu-west-1", "status": "denied",
         "detail": "AccessDeniedException on ListKeys"}
    )  # fmt: skip
    document["resources"][0]["name"] = EVIL  # markup in input must stay text
    inventory = write_json(folder / "inventory.json", document)
    result = run_cli(
        "scan", inventory, VIOLATING[1], "--format", "html", "--output", folder / "report.html",
        "--fail-on", "none",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return folder / "report.html"


def test_report_renders_without_errors_and_shows_gaps(
    browser: webdriver.Chrome, report: Path
) -> None:
    browser.get(report.as_uri())
    assert browser.title.startswith("opa-comply compliance report")
    log = browser.get_log("browser")  # type: ignore[no-untyped-call]
    errors = [e for e in log if e["level"] == "SEVERE"]
    assert errors == []
    [gap] = browser.find_elements(By.CSS_SELECTOR, "#coverage tr.gap")
    assert "123456789012/kms/eu-west-1" in gap.text
    assert "denied" in gap.text
    assert "AccessDeniedException on ListKeys" in gap.text
    charts = browser.find_elements(By.CSS_SELECTOR, "#frameworks svg.chart")
    assert len(charts) == 5  # one per framework
    assert all(c.size["width"] > 100 for c in charts)
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "html-report.png"))


def test_filters_change_the_visible_rows(browser: webdriver.Chrome, report: Path) -> None:
    browser.get(report.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.finding")
    assert len(rows) > 10

    def visible() -> list[str]:
        return [r.get_attribute("data-severity") or "" for r in rows if r.is_displayed()]

    assert len(visible()) == len(rows)
    Select(browser.find_element(By.ID, "filter-severity")).select_by_value("critical")
    critical = visible()
    assert 0 < len(critical) < len(rows)
    assert set(critical) == {"critical"}
    assert browser.find_element(By.ID, "shown").text == f"{len(critical)} of {len(rows)} findings"
    Select(browser.find_element(By.ID, "filter-severity")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-status")).select_by_value("indeterminate")
    statuses = {r.get_attribute("data-status") for r in rows if r.is_displayed()}
    assert statuses == {"indeterminate"}


def test_markup_in_inventories_stays_text(browser: webdriver.Chrome, report: Path) -> None:
    browser.get(report.as_uri())
    assert browser.title != "pwned"
    assert browser.find_elements(By.CSS_SELECTOR, "img") == []
    assert "&lt;img src=x" in report.read_text()
