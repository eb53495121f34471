"""The data map end to end through the real CLI and OPA: `--report-dir` writes data-map.md
and data-map.csv beside the other reports, every report carries the section, a stored
drift scan gives the same data map back through `report --format data-map`, and the HTML
report's section renders in the real headless Chromium with hostile table and column
names (markup, a bidi override, a newline) shown as text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from tests.browser_support import headless_chromium
from tests.conftest import EXAMPLES, REPO, load_example, run_cli, write_json

ARTIFACTS = REPO / "test-artifacts"
EVIL = "<img src=x onerror=\"document.title='pwned'\">"
BIDI = "invoice\u202etxt.exe"
NEWLINE = "two\nlines"
SERVER = "postgresql://lib-pg.internal:5432"


def _inventory() -> Any:
    """The library's PostgreSQL example, its customers' email classified from samples, and
    a card-data table whose names are hostile."""
    document = load_example(EXAMPLES / "library" / "postgres.json")
    tables = [r for r in document["resources"] if r["type"] == "postgresql_table"]
    customers = next(t for t in tables if t["attributes"]["name"] == "customers")
    email = next(c for c in customers["attributes"]["columns"] if c["name"] == "email")
    email["classified_by"] = "sample"
    email["sample"] = {"detector": "email", "matched": 19, "sampled": 20, "confidence": 0.95}
    hostile = json.loads(json.dumps(customers))
    hostile["address"] = f"{SERVER}/orders/public/{EVIL}"
    hostile["name"] = f"orders.public.{EVIL}"
    hostile["data_classes"] = ["pii", "pci"]
    hostile["attributes"]["name"] = EVIL
    hostile["attributes"]["columns"] = [
        {"name": EVIL, "data_type": "text", "classification": "email", "encrypted": False,
         "classified_by": "comment"},
        {"name": BIDI, "data_type": "text", "classification": "pan", "encrypted": False,
         "classified_by": "comment"},
        {"name": NEWLINE, "data_type": "text", "classification": "phone", "encrypted": False,
         "classified_by": "name"},
    ]  # fmt: skip
    document["resources"].append(hostile)
    return document


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report folder of one scan of the inventory."""
    folder = tmp_path_factory.mktemp("data-map")
    inventory = write_json(folder / "inventory.json", _inventory())
    result = run_cli(
        "scan", inventory, "--format", "data-map", "--output", folder / "shown.md",
        "--fail-on", "none", "--report-dir", folder / "reports",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return folder


def test_report_dir_writes_the_data_map_beside_the_others(scanned: Path) -> None:
    reports = scanned / "reports"
    names = {p.name for p in reports.iterdir()}
    assert {"data-map.md", "data-map.csv", "opa-comply.md", "opa-comply.json"} <= names
    document = (reports / "data-map.md").read_text(encoding="utf-8")
    assert (scanned / "shown.md").read_text(encoding="utf-8") == document
    assert "| Database / schema / table | `orders` / `billing` / `payment_cards` |" in document
    sampled = (
        "| `email` | email | personal | sampled values | email | 95% | 19 of 20 sampled | no |"
    )
    assert sampled in document
    assert "| `pan` | pan | card | " in document
    assert "## PCI DSS scope: the cardholder data environment" in document
    report = json.loads((reports / "opa-comply.json").read_text(encoding="utf-8"))
    addresses = {s["address"] for s in report["data_map"]["stores"]}
    assert f"{SERVER}/orders/billing/payment_cards" in addresses
    assert f"{SERVER}/orders/public/{EVIL}" in addresses
    markdown = (reports / "opa-comply.md").read_text(encoding="utf-8")
    section = markdown[markdown.index("## Data map") : markdown.index("## Remediation plan")]
    assert sampled in section
    rows = list(csv.DictReader(io.StringIO((reports / "data-map.csv").read_text(), newline="")))
    cards = {r["database_schema_table"] for r in rows if r["data_class"] == "card"}
    assert "orders / billing / payment_cards" in cards
    assert all(r["cardholder_data_environment"] == "yes" for r in rows if r["data_class"] == "card")
    # Nothing sampled is written anywhere: counts only.
    for name in names:
        assert "@example" not in (reports / name).read_text(encoding="utf-8"), name


def test_a_stored_drift_scan_gives_the_same_data_map(tmp_path: Path) -> None:
    inventory = write_json(tmp_path / "inventory.json", _inventory())
    state = tmp_path / "state.db"
    drift = run_cli(
        "drift", inventory, "--state", state, "--scope", "data", "--format", "data-map",
        "--fail-on", "none",
    )  # fmt: skip
    assert drift.code == 0, drift.stderr
    stored = run_cli("report", "--state", state, "--format", "data-map")
    assert stored.code == 0, stored.stderr
    assert stored.stdout == drift.stdout
    assert "| `email` | email | personal | sampled values | email | 95% |" in stored.stdout
    table = run_cli("report", "--state", state, "--format", "data-map-csv")
    assert table.code == 0, table.stderr
    assert table.stdout.startswith('"data_class","system","address"')


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with headless_chromium() as chrome:
        yield chrome


def test_html_section_renders_and_hostile_names_stay_text(
    browser: webdriver.Chrome, scanned: Path
) -> None:
    browser.get((scanned / "reports" / "opa-comply.html").as_uri())
    assert browser.title.startswith("opa-comply compliance report")
    log = browser.get_log("browser")  # type: ignore[no-untyped-call]
    assert [e for e in log if e["level"] == "SEVERE"] == []
    section = browser.find_element(By.ID, "data-map")
    assert section.is_displayed()
    classes = [
        e.get_attribute("data-class")
        for e in section.find_elements(By.CSS_SELECTOR, "section.data-class")
    ]
    assert classes == ["pii", "phi", "pci"]
    stores = section.find_elements(By.CSS_SELECTOR, "tr.store")
    names = [s.find_element(By.CSS_SELECTOR, "code.store-name").text for s in stores]
    assert "orders.billing.payment_cards" in names
    assert f"orders.public.{EVIL}" in names  # the markup, as text
    assert section.find_elements(By.TAG_NAME, "img") == []
    assert browser.execute_script("return document.images.length") == 0
    columns = [c.text for c in section.find_elements(By.CSS_SELECTOR, "tr.column td:first-child")]
    assert EVIL in columns
    assert "invoice\\u202etxt.exe" in columns  # the override shown, not obeyed
    assert "two\\nlines" in columns  # one line
    cde = section.find_elements(By.CSS_SELECTOR, "#cde tr.connected")
    assert any("payment_cards" in row.text for row in cde)
    assert browser.title.startswith("opa-comply compliance report")  # no onerror ran
    ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("arguments[0].scrollIntoView()", section)
    assert browser.save_screenshot(str(ARTIFACTS / "html-report-data-map.png"))
