"""The dashboard's Data map page (issue 23) in Debian's headless Chromium, served by a real
`opa-comply serve` over a store filled by real drift runs:

    library  the bundled examples/library inventories, their map as the scan built it
    hostile  the PostgreSQL library example, its stored map then replaced (through the
             state store's own codec) by one with markup, bidi and newlines in its names
    empty    the compliant example, its stored map replaced by an empty one

The page groups by class then system, links to resource pages, shows the cardholder data
environment; estate text stays text; an empty map and an unknown scope say so."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from compliance_opa.domain.data_map import (
    CLASSES,
    ClassifiedColumn,
    Connected,
    DataMap,
    DataStore,
    Protection,
    Reach,
)
from compliance_opa.service.http import CONTENT_SECURITY_POLICY
from compliance_opa.state import report_codec
from tests.browser_support import headless_chromium
from tests.conftest import COMPLIANT, EXAMPLES, run_cli
from tests.serve_support import TOKENS, RunningService, running_service

READER = TOKENS["reader"][0]
ARTIFACTS = Path(__file__).parents[3] / "test-artifacts"
SERVER = "postgresql://lib-pg.internal:5432"
CARDS = f"{SERVER}/orders/billing/payment_cards"  # evaluated by the scan: it has a page
ROLE = f"{SERVER}?role=app_rw"
SCRIPT = "<script>alert(1)</script>"
BIDI = "card_\u202enap\u202c_number"  # a right-to-left override inside a name
NEWLINES = "line1\nline2\r\n<b>line3</b>"
EVIL_OWNER = "<img src=x onerror=\"document.title='pwned'\">"
OUTSIDE = "sg-0<i>not-scanned</i>"  # no scan evaluated it: no resource page, no link
HOSTILE_COLUMNS = (SCRIPT, BIDI, NEWLINES)


def hostile_map() -> DataMap:
    def column(name: str, by: str, detector: str | None, confidence: float | None) -> Any:
        return ClassifiedColumn(
            name=name, classification="pan", data_class="pci", classified_by=by,
            detector=detector, confidence=confidence,
            matched=None if confidence is None else 19, sampled=None if confidence is None else 20,
        )  # fmt: skip

    store = DataStore(
        address=CARDS,
        type="postgresql_table",
        kind="table",
        name=f"payment_cards{SCRIPT}",
        system=SERVER,
        data_classes=("pii", "pci"),
        region="eu-west-1",
        region_allowed=False,
        owner=EVIL_OWNER,
        environment="prod\u202e",
        columns=(
            column(SCRIPT, "sample", "luhn", 0.95),
            column(BIDI, "name", None, None),
            column(NEWLINES, "comment", None, None),
        ),
        protection=Protection(encrypted_at_rest=True, at_rest_key="customer", backup=False),
        reach=Reach(internet_exposed=True, public_grants=("SELECT",), roles=("app_rw", SCRIPT)),
        open_findings=(("PG-TBL-001", "high"),),
        cde=True,
    )
    connected = (
        Connected(ROLE, "postgresql_role", "role with access to", CARDS),
        Connected(OUTSIDE, "aws_security_group", "security group of", CARDS),
    )
    return DataMap(stores=(store,), cde=connected)


def _rewrite_map(db_path: Path, scope: str, data_map: DataMap) -> None:
    """Store ``data_map`` with the scope's scan, as the codec writes it."""
    with sqlite3.connect(db_path) as db:
        scan_id, text = db.execute(
            "SELECT scan_id, report FROM scans WHERE scope = ? ORDER BY seq DESC", (scope,)
        ).fetchone()
        report = replace(report_codec.loads(text), data_map=data_map)
        db.execute(
            "UPDATE scans SET report = ? WHERE scan_id = ?", (report_codec.dumps(report), scan_id)
        )
    db.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data-map-page")
    path = folder / "state.db"
    runs = [
        ("library", EXAMPLES / "library"),
        ("hostile", EXAMPLES / "library" / "postgres.json"),
        ("empty", COMPLIANT),
    ]
    for scope, inventory in runs:
        result = run_cli(
            "drift", inventory, "--state", path, "--scope", scope, "--fail-on", "none",
            "--format", "json", "--output", folder / f"{scope}.json",
        )  # fmt: skip
        assert result.code == 0, result.stderr
    _rewrite_map(path, "hostile", hostile_map())
    _rewrite_map(path, "empty", DataMap())
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT report FROM scans WHERE scope = 'hostile'").fetchone()
    db.close()
    assert report_codec.loads(text).data_map == hostile_map()  # the codec kept it whole
    return path


@pytest.fixture(scope="module")
def svc(store: Path) -> Iterator[RunningService]:
    with running_service(store.parent, state=str(store)) as running:
        yield running
    assert "Traceback" not in running.log_text()


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with headless_chromium() as chrome:
        yield chrome


def log_in(browser: webdriver.Chrome, svc: RunningService) -> None:
    browser.get(svc.url + "/login")
    browser.find_element(By.ID, "token").send_keys(READER)
    browser.find_element(By.ID, "sign-in").click()
    WebDriverWait(browser, 15).until(lambda b: b.title.startswith("Overview"))


def console_errors(browser: webdriver.Chrome) -> list[dict[str, Any]]:
    log = browser.get_log("browser")  # type: ignore[no-untyped-call]
    return [e for e in log if e["level"] == "SEVERE"]


def text_of(element: Any) -> str:
    """The element's text as the DOM holds it (Selenium's .text collapses whitespace)."""
    return str(element.get_attribute("textContent"))


def test_the_navigation_leads_to_every_scope_s_map(
    browser: webdriver.Chrome, svc: RunningService
) -> None:
    log_in(browser, svc)
    console_errors(browser)
    browser.find_element(By.CSS_SELECTOR, "header nav a[href='/data-map']").click()
    WebDriverWait(browser, 15).until(lambda b: b.title.startswith("Data map"))
    sections = browser.find_elements(By.CSS_SELECTOR, "section.scope-map")
    assert [s.get_attribute("data-scope") for s in sections] == ["empty", "hostile", "library"]
    options = browser.find_elements(By.CSS_SELECTOR, "form.filters select[name='scope'] option")
    assert [o.get_attribute("value") for o in options] == ["", "empty", "hostile", "library"]
    assert console_errors(browser) == []


def test_the_library_scan_s_map_by_class_then_system(
    browser: webdriver.Chrome, svc: RunningService
) -> None:
    log_in(browser, svc)
    browser.get(svc.url + "/data-map?scope=library")
    assert browser.title.startswith("Data map")
    [section] = browser.find_elements(By.CSS_SELECTOR, "section.scope-map")
    assert section.get_attribute("data-scope") == "library"
    classes = [
        str(c.get_attribute("data-class"))
        for c in section.find_elements(By.CSS_SELECTOR, "section.data-class")
    ]
    # Personal, health and card data are planted in the library's PostgreSQL example.
    assert {"pii", "phi", "pci"} <= set(classes)
    assert classes == [c for c in CLASSES if c in classes]
    pci = section.find_element(By.CSS_SELECTOR, "section.data-class[data-class='pci']")
    systems = [text_of(h) for h in pci.find_elements(By.CSS_SELECTOR, "h4.system")]
    assert SERVER in systems
    assert systems == sorted(systems)
    stores = pci.find_elements(By.CSS_SELECTOR, "tr.store")
    assert stores
    assert all(s.get_attribute("data-cde") == "yes" for s in stores)  # card data: in the CDE
    columns = pci.find_elements(By.CSS_SELECTOR, "li.column")
    assert columns
    # The library's tables carry no record of how they were classified.
    assert {c.find_element(By.CSS_SELECTOR, ".classified-by").text for c in columns} == {
        "not recorded"
    }
    assert {
        str(s.get_attribute("data-address")) for s in stores if s.get_attribute("data-cde")
    } >= {CARDS, f"{SERVER}/orders/billing/card_imports"}
    cde = section.find_element(By.CSS_SELECTOR, "section.cde")
    assert "PCI DSS cardholder data environment" in cde.text
    assert cde.find_elements(By.CSS_SELECTOR, "tr.connected, tr.cde-store")
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "dashboard-data-map.png"))
    # A store's link opens its resource page, of this scope.
    link = stores[0].find_element(By.CSS_SELECTOR, "td.store-name a.resource")
    address = stores[0].get_attribute("data-address")
    link.click()
    WebDriverWait(browser, 15).until(lambda b: b.title.startswith("Resource"))
    assert browser.find_element(By.CSS_SELECTOR, "h1.address").text == address
    assert console_errors(browser) == []


def test_hostile_estate_text_stays_text(browser: webdriver.Chrome, svc: RunningService) -> None:
    log_in(browser, svc)
    browser.get(svc.url + "/data-map?scope=hostile")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert browser.title == "Data map · opa-comply"
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main img, main b, main i") == []
    [section] = browser.find_elements(By.CSS_SELECTOR, "section.scope-map")
    # The store is both personal and card: listed under each class, in that order.
    assert [
        c.get_attribute("data-class")
        for c in section.find_elements(By.CSS_SELECTOR, "section.data-class")
    ] == ["pii", "pci"]
    row = section.find_element(By.CSS_SELECTOR, "section[data-class='pci'] tr.store")
    names = [text_of(n) for n in row.find_elements(By.CSS_SELECTOR, "code.column-name")]
    # Every character kept, as text (an HTML parser reads CR LF as LF, by the standard).
    assert names == [n.replace("\r\n", "\n") for n in HOSTILE_COLUMNS]
    how = [c.text for c in row.find_elements(By.CSS_SELECTOR, ".classified-by")]
    assert how == ["by sampled values", "by column name", "by comment"]
    assert row.find_element(By.CSS_SELECTOR, "code.detector").text == "luhn"
    assert row.find_element(By.CSS_SELECTOR, ".confidence").text == "95.0%"
    assert "19 of 20 sampled" in row.find_element(By.CSS_SELECTOR, "td.columns").text
    assert text_of(row.find_element(By.CSS_SELECTOR, "td.owner bdi")) == EVIL_OWNER
    assert "(not allowed)" in row.find_element(By.CSS_SELECTOR, "td.where").text
    encryption = row.find_element(By.CSS_SELECTOR, "td.encryption").text
    assert "at rest: yes (customer key)" in encryption
    assert "in transit: unknown" in encryption
    assert row.find_element(By.CSS_SELECTOR, "td.backup").text == "no"
    reach = row.find_element(By.CSS_SELECTOR, "td.reach")
    assert "public: unknown" in reach.text
    assert "internet: yes" in reach.text
    assert "PUBLIC grants: SELECT" in reach.text
    assert [text_of(r) for r in reach.find_elements(By.CSS_SELECTOR, "bdi.role")] == [
        "app_rw",
        SCRIPT,
    ]
    finding = row.find_element(By.CSS_SELECTOR, "td.findings .open-finding")
    assert finding.text == "PG-TBL-001 high"
    href = finding.find_element(By.TAG_NAME, "a").get_attribute("href")
    assert urlsplit(href).path == "/resources"
    assert quote(CARDS, safe="") in str(href)
    rows = section.find_elements(By.CSS_SELECTOR, "section.cde tr.connected")
    assert [[text_of(td) for td in r.find_elements(By.TAG_NAME, "td")] for r in rows] == [
        [CARDS, ROLE, "postgresql_role", "role with access to"],
        [CARDS, OUTSIDE, "aws_security_group", "security group of"],
    ]
    assert len(rows[0].find_elements(By.CSS_SELECTOR, "a.resource")) == 2
    assert len(rows[1].find_elements(By.CSS_SELECTOR, "a.resource")) == 1  # the store only
    assert browser.find_elements(By.CSS_SELECTOR, "main i") == []
    counts = section.find_element(By.CSS_SELECTOR, ".map-counts").text
    assert counts == "1 data store, 1 holding card data, 2 resources connected to them"
    # Markup in the raw HTML is escaped, never live.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in browser.page_source
    assert console_errors(browser) == []
    # The role has a resource page too: the link works.
    rows[0].find_elements(By.CSS_SELECTOR, "a.resource")[1].click()
    WebDriverWait(browser, 15).until(lambda b: b.title.startswith("Resource"))
    assert browser.find_element(By.CSS_SELECTOR, "h1.address").text == ROLE


def test_an_empty_map_says_there_is_no_classified_data(
    browser: webdriver.Chrome, svc: RunningService
) -> None:
    log_in(browser, svc)
    browser.get(svc.url + "/data-map?scope=empty")
    [section] = browser.find_elements(By.CSS_SELECTOR, "section.scope-map")
    message = section.find_element(By.CSS_SELECTOR, "p.no-classified-data")
    assert message.is_displayed()
    assert message.text.startswith("No classified data")
    assert section.find_elements(By.CSS_SELECTOR, "section.data-class, section.cde") == []
    assert console_errors(browser) == []


def test_an_unknown_scope_is_a_shaped_error(svc: RunningService) -> None:
    url = svc.url + "/data-map?scope=" + quote("<b>nobody</b>")
    shaped = requests.get(url, headers=svc.auth("reader"), timeout=10)
    assert shaped.status_code == 404
    assert shaped.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "scope: no scan of that scope in the state store",
        }
    }
    page = requests.get(url, headers={**svc.auth("reader"), "Accept": "text/html"}, timeout=10)
    assert page.status_code == 404
    assert "Not found (404)" in page.text
    assert "nobody" not in page.text  # the value is not echoed


def test_headers_and_tokens_as_every_page(svc: RunningService) -> None:
    bare = requests.get(svc.url + "/data-map", timeout=10)
    assert bare.status_code == 401
    assert bare.json()["error"]["code"] == "unauthorized"
    browser_like = requests.get(
        svc.url + "/data-map?scope=library", headers={"Accept": "text/html"},
        allow_redirects=False, timeout=10,
    )  # fmt: skip
    assert browser_like.status_code == 303
    assert browser_like.headers["location"] == "/login?next=%2Fdata-map%3Fscope%3Dlibrary"
    refused = requests.get(svc.url + "/data-map", headers=svc.auth("validator"), timeout=10)
    assert refused.status_code == 403
    ok = requests.get(svc.url + "/data-map", cookies={"opa_comply_token": READER}, timeout=10)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("text/html")
    assert ok.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert ok.headers["x-frame-options"] == "DENY"
    assert ok.headers["x-content-type-options"] == "nosniff"
    assert ok.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in ok.text.split("<main>")[1]  # no inline script in the page


def test_an_empty_store_says_how_to_fill_it(tmp_path: Path) -> None:
    with running_service(tmp_path) as empty:
        html = {**empty.auth("reader"), "Accept": "text/html"}
        page = requests.get(empty.url + "/data-map", headers=html, timeout=30)
        assert page.status_code == 200
        assert 'id="empty"' in page.text
        assert "opa-comply drift" in page.text
        assert "Traceback" not in empty.log_text()
