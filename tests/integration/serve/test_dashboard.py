"""The dashboard of a real `opa-comply serve` in Debian's headless Chromium (installed by
`make test`), over a store filled by real drift runs (tests/dashboard_support.py): login,
every page, the trends chart's points, drill-down by clicking, a report download, markup
from the estate kept as text, no console error, and no request leaving the service."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from compliance_opa.reports import RENDERERS
from tests.browser_support import headless_chromium
from tests.dashboard_support import (
    EVIL,
    EVIL_DETAIL,
    ORDERS_DB,
    SECRET,
    populate,
)
from tests.serve_support import TOKENS, RunningService, running_service

READER = TOKENS["reader"][0]
ARTIFACTS = Path(__file__).parents[3] / "test-artifacts"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dashboard")


@pytest.fixture(scope="module")
def svc(folder: Path) -> Iterator[RunningService]:
    store = populate(folder)
    with running_service(folder, state=str(store)) as running:
        yield running
    assert "Traceback" not in running.log_text()


@pytest.fixture(scope="module")
def downloads(folder: Path) -> Path:
    path = folder / "downloads"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[webdriver.Chrome]:
    with headless_chromium(performance_log=True, downloads=downloads) as chrome:
        yield chrome


def wait_title(browser: webdriver.Chrome, prefix: str) -> None:
    """A click starts a navigation; wait (bounded) for the next page."""
    WebDriverWait(browser, 15).until(lambda b: b.title.startswith(prefix))


def log_in(browser: webdriver.Chrome, svc: RunningService) -> None:
    browser.get(svc.url + "/login")
    browser.find_element(By.ID, "token").send_keys(READER)
    browser.find_element(By.ID, "sign-in").click()
    wait_title(browser, "Overview")


def console_errors(browser: webdriver.Chrome) -> list[dict[str, Any]]:
    log = browser.get_log("browser")  # type: ignore[no-untyped-call]
    return [e for e in log if e["level"] == "SEVERE"]


def requested_urls(browser: webdriver.Chrome) -> list[str]:
    """Every URL the browser asked for since the last call (Chrome's performance log of
    DevTools Network events)."""
    urls = []
    for entry in browser.get_log("performance"):  # type: ignore[no-untyped-call]
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def assert_stays_on_loopback(browser: webdriver.Chrome, svc: RunningService) -> None:
    urls = requested_urls(browser)
    assert urls, "the performance log saw the page loads"
    service = urlsplit(svc.url)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme == "data":
            continue
        assert (parts.scheme, parts.netloc) == (service.scheme, service.netloc), url
        assert parts.hostname == "127.0.0.1"


def points(browser: webdriver.Chrome, chart: Any) -> dict[str, int]:
    return {
        g.get_attribute("data-name"): len(g.find_elements(By.CSS_SELECTOR, "circle.point"))
        for g in chart.find_elements(By.CSS_SELECTOR, "g.series")
    }


def test_a_browser_without_the_cookie_goes_to_the_login_form(
    browser: webdriver.Chrome, svc: RunningService
) -> None:
    browser.delete_all_cookies()
    browser.get(svc.url + "/scans")
    assert browser.title.startswith("Sign in")
    assert urlsplit(browser.current_url).path == "/login"
    browser.find_element(By.ID, "token").send_keys("not-a-token")
    browser.find_element(By.ID, "sign-in").click()
    WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.CSS_SELECTOR, "p.error"))
    assert browser.find_element(By.CSS_SELECTOR, "p.error").text == "unknown token"
    browser.find_element(By.ID, "token").send_keys(READER)
    browser.find_element(By.ID, "sign-in").click()
    wait_title(browser, "Scans")  # back where it was going
    errors = console_errors(browser)  # the wrong token's 401 only
    assert len(errors) <= 1
    assert all("401" in e["message"] for e in errors)
    assert_stays_on_loopback(browser, svc)


def test_every_page_renders_without_console_errors(
    browser: webdriver.Chrome, svc: RunningService
) -> None:
    log_in(browser, svc)
    console_errors(browser)  # the login's own messages are not the pages'
    overview = browser.find_elements(By.CSS_SELECTOR, "#frameworks article.framework")
    assert len(overview) == 5  # GDPR, HIPAA, PCI DSS, SOC 2, ISO 27001
    assert [
        e.text.split()[0] for e in browser.find_elements(By.CSS_SELECTOR, "#scopes tr.scope-row")
    ] == [
        "hardened",
        "orders",
        "prod",
    ]
    for path, title in [
        ("/trends", "Trends"),
        ("/scans", "Scans"),
        ("/alerts", "Alerts"),
        ("/frameworks/hipaa", "HIPAA"),
        ("/frameworks/iso27001", "ISO/IEC 27001:2022"),
        ("/?severity=critical&framework=soc2", "Overview"),
    ]:
        browser.get(svc.url + path)
        assert browser.title.startswith(title) or title in browser.title, (path, browser.title)
        assert browser.find_elements(By.CSS_SELECTOR, "section.error-page") == []
    browser.get(svc.url + "/scans")
    browser.find_element(By.CSS_SELECTOR, "#scans tr.scan a").click()
    wait_title(browser, "Scan ")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#downloads a")) == len(RENDERERS)
    assert console_errors(browser) == []
    ARTIFACTS.mkdir(exist_ok=True)
    browser.get(svc.url + "/")
    assert browser.save_screenshot(str(ARTIFACTS / "dashboard-overview.png"))
    assert_stays_on_loopback(browser, svc)


def test_the_trends_chart_has_a_point_a_day(browser: webdriver.Chrome, svc: RunningService) -> None:
    log_in(browser, svc)
    [chart] = browser.find_elements(By.CSS_SELECTOR, "#trend svg.trend")
    # Every scope together, from prod's first scan three days ago: four days.
    assert points(browser, chart) == {
        "GDPR": 4,
        "HIPAA": 4,
        "PCI DSS v4.0": 4,
        "SOC 2": 4,
        "ISO 27001:2022": 4,
    }
    browser.get(svc.url + "/trends?scope=orders&framework=pci_dss")
    [chart] = browser.find_elements(By.CSS_SELECTOR, "svg.trend")
    # orders was scanned once, two days ago, and keeps its verdicts since: three days.
    assert points(browser, chart) == {"control rate": 3, "pass rate": 3}
    assert chart.size["width"] > 300
    browser.get(svc.url + "/trends")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.trend")
    assert len(charts) == 4 * 5  # every scope together, and each of three, per framework
    assert console_errors(browser) == []
    assert_stays_on_loopback(browser, svc)


def test_drill_down_by_clicking(browser: webdriver.Chrome, svc: RunningService) -> None:
    log_in(browser, svc)
    browser.find_element(By.CSS_SELECTOR, "article[data-framework='pci_dss'] h3 a").click()
    wait_title(browser, "Payment Card")
    assert "PCI DSS" in browser.find_element(By.TAG_NAME, "h1").text
    failing = browser.find_elements(
        By.CSS_SELECTOR, "#controls tr.control[data-status='non_compliant'] a"
    )
    assert failing
    control_id = failing[0].text
    failing[0].click()
    wait_title(browser, control_id)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith(control_id)
    links = browser.find_elements(By.CSS_SELECTOR, "#findings a.resource")
    assert links
    address = links[0].text
    links[0].click()
    wait_title(browser, "Resource")
    assert browser.find_element(By.CSS_SELECTOR, "h1.address").text == address
    assert browser.find_elements(By.CSS_SELECTOR, "#findings tr.finding")
    assert browser.find_element(By.CSS_SELECTOR, "#findings td.remediation").text
    assert console_errors(browser) == []
    assert_stays_on_loopback(browser, svc)


def test_a_report_downloads(
    browser: webdriver.Chrome, svc: RunningService, downloads: Path
) -> None:
    log_in(browser, svc)
    browser.find_element(By.CSS_SELECTOR, "#scopes tr.scope-row a").click()
    wait_title(browser, "Scan ")
    link = browser.find_element(By.CSS_SELECTOR, "#downloads a[href$='/report/json']")
    scan_id = str(link.get_attribute("href")).split("/")[-3]
    link.click()
    expected = downloads / f"opa-comply-{scan_id}.json"
    deadline = time.monotonic() + 20
    while not expected.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert expected.exists(), list(downloads.iterdir())
    assert json.loads(expected.read_text())["opa"]["version"]
    assert console_errors(browser) == []
    assert_stays_on_loopback(browser, svc)


def test_markup_from_the_estate_stays_text(browser: webdriver.Chrome, svc: RunningService) -> None:
    log_in(browser, svc)
    pages = ["/", f"/resources?address={quote(ORDERS_DB, safe='')}", "/scans"]
    browser.get(svc.url + "/")
    gap = browser.find_element(By.CSS_SELECTOR, "#gaps tr.gap")
    assert EVIL_DETAIL in gap.text  # shown as the text it is
    messages = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#risks td.message")]
    # The name, quoted (Rego's %q) in a message.
    assert any('"<img src=x onerror=' in m for m in messages), messages
    for path in pages:
        browser.get(svc.url + path)
        assert browser.title != "pwned"
        assert browser.find_elements(By.CSS_SELECTOR, "main img, main script, main b") == []
    browser.get(svc.url + pages[1])
    attributes = browser.find_element(By.ID, "attributes").text
    assert '"master_password": "(sensitive value)"' in attributes
    assert SECRET not in browser.page_source
    assert EVIL in browser.find_element(By.CSS_SELECTOR, "dl.facts").text  # the Owner tag
    assert console_errors(browser) == []


def test_login_cookie_and_cross_site_posts(svc: RunningService) -> None:
    form = {"token": READER}
    ok = requests.post(svc.url + "/login", data=form, allow_redirects=False, timeout=10)
    assert ok.status_code == 303
    assert ok.headers["location"] == "/"
    cookie = ok.headers["set-cookie"]
    assert cookie.startswith(f"opa_comply_token={READER};")
    for attribute in ("HttpOnly", "Path=/", "SameSite=strict"):
        assert attribute.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # served over plain http here
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = requests.post(svc.url + "/login", data=form, headers=headers, timeout=10)
        assert refused.status_code == 403
        assert "set-cookie" not in refused.headers
    wrong = requests.post(svc.url + "/login", data={"token": "nope"}, timeout=10)
    assert wrong.status_code == 401
    assert 'name="token"' in wrong.text
    validator = requests.post(
        svc.url + "/login", data={"token": TOKENS["validator"][0]}, timeout=10
    )
    assert validator.status_code == 403
    outside = requests.post(
        svc.url + "/login", data={**form, "next": "//evil.example/x"}, allow_redirects=False,
        timeout=10,
    )  # fmt: skip
    assert outside.headers["location"] == "/"
    out = requests.post(svc.url + "/logout", cookies={"opa_comply_token": READER},
                        allow_redirects=False, timeout=10)  # fmt: skip
    assert out.status_code == 303
    assert (
        'opa_comply_token=""' in out.headers["set-cookie"]
        or "Max-Age=0" in out.headers["set-cookie"]
    )


def test_api_clients_get_shaped_errors_and_pages_with_a_bearer_token(svc: RunningService) -> None:
    bare = requests.get(svc.url + "/scans", timeout=10)
    assert bare.status_code == 401
    assert bare.json()["error"]["code"] == "unauthorized"
    wrong = requests.get(
        svc.url + "/scans",
        headers={"Authorization": "Bearer nope", "Accept": "text/html"},
        timeout=10,
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"]["message"] == "unknown token"
    page = requests.get(svc.url + "/scans", headers=svc.auth("reader"), timeout=10)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = {**svc.auth("reader"), "Accept": "text/html"}
    for path in ("/scans/nope", "/frameworks/sox", "/frameworks/pci_dss/controls/99.99",
                 "/resources?address=arn:aws:s3:::nobody", "/scans?page=9"):  # fmt: skip
        missing = requests.get(svc.url + path, headers=html, timeout=10)
        assert missing.status_code == 404, path
        assert "Not found (404)" in missing.text
    shaped = requests.get(svc.url + "/scans/nope", headers=svc.auth("reader"), timeout=10)
    assert shaped.json()["error"]["status"] == 404
    bad = requests.get(svc.url + "/?severity=%3Cb%3E", headers=html, timeout=10)
    assert bad.status_code == 400
    assert "&lt;b&gt;" not in bad.text  # the value is not echoed at all


def test_every_report_format_downloads_with_its_type(svc: RunningService) -> None:
    scans = requests.get(svc.url + "/scans", headers=svc.auth("reader"), timeout=10).text
    scan_id = scans.split('href="/scans/')[1].split('"')[0]
    expected = {
        "json": "application/json", "sarif": "application/sarif+json", "junit": "application/xml",
        "markdown": "text/markdown", "pr-comment": "text/markdown", "html": "text/html",
        "csv": "text/csv", "oscal": "application/json", "data-map": "text/markdown",
        "data-map-csv": "text/csv",
    }  # fmt: skip
    for fmt, media in expected.items():
        got = requests.get(
            f"{svc.url}/scans/{scan_id}/report/{fmt}", headers=svc.auth("reader"), timeout=30
        )
        assert got.status_code == 200, fmt
        assert got.headers["content-type"].startswith(media), fmt
        assert got.headers["content-disposition"].startswith("attachment; filename=")
        assert scan_id in got.headers["content-disposition"], fmt
        assert got.content
    missing = requests.get(
        f"{svc.url}/scans/{scan_id}/report/pdf", headers=svc.auth("reader"), timeout=10
    )
    assert missing.status_code == 404


def test_an_empty_store_shows_how_to_fill_it(tmp_path: Path) -> None:
    with running_service(tmp_path) as empty:
        html = {**empty.auth("reader"), "Accept": "text/html"}
        overview = requests.get(empty.url + "/", headers=html, timeout=30)
        assert overview.status_code == 200
        assert 'id="empty"' in overview.text
        assert "opa-comply drift" in overview.text
        for path in ("/trends", "/scans", "/alerts"):
            page = requests.get(empty.url + path, headers=html, timeout=30)
            assert page.status_code == 200, path
            assert 'id="empty"' in page.text, path
        assert "Traceback" not in empty.log_text()
