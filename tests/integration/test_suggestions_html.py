"""Suggested changes in the HTML report, in a real headless Chromium: a scan through the
real CLI of the bundled examples, with a database and a role renamed to hostile text,
shows each suggestion as text in a <pre><code> (nothing in it runs or becomes markup) and
the automatic-fix line for checks that have one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from tests.browser_support import headless_chromium
from tests.conftest import EXAMPLES, VIOLATING, load_example, run_cli, write_json

HOSTILE = 'db-"${x}%{y}`</script><img src=x onerror="document.title=\'pwned\'">'
RDS = "arn:aws:rds:eu-west-1:123456789012:db:patients"
ETL_ADMIN = "postgresql://lib-pg.internal:5432?role=etl_admin"  # a superuser login role
ROLE_NAME = "r\"'</pre><script>document.title='pwned'</script>"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with headless_chromium() as chrome:
        yield chrome


def _rename(document: dict[str, Any], address: str, new: str) -> None:
    [resource] = [r for r in document["resources"] if r["address"] == address]
    resource["address"] = new


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("suggestions")
    aws = load_example(VIOLATING[0])
    _rename(aws, RDS, RDS.replace("patients", HOSTILE))
    postgres = load_example(EXAMPLES / "library" / "postgres.json")
    _rename(postgres, ETL_ADMIN, ETL_ADMIN.replace("etl_admin", ROLE_NAME))
    inputs = [write_json(folder / "aws.json", aws), write_json(folder / "pg.json", postgres)]
    result = run_cli(
        "scan", *inputs, "--format", "json", "--output", folder / "report.json",
        "--report-dir", folder, "--fail-on", "none",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    document = json.loads((folder / "report.json").read_text())
    return folder / "opa-comply.html", document


def test_suggestions_show_as_text_in_the_browser(
    browser: webdriver.Chrome, scanned: tuple[Path, dict[str, Any]]
) -> None:
    page, document = scanned
    advised = [(f["resource"], f["suggestion"]["text"]) for f in document["findings"]
               if "suggestion" in f]  # fmt: skip
    hostile = [r for r, _ in advised if HOSTILE in r or ROLE_NAME in r]
    assert len(hostile) >= 2, sorted(advised)
    browser.get(page.as_uri())
    assert browser.title.startswith("opa-comply compliance report")
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[no-untyped-call]
    assert errors == []
    shown = [
        e.get_attribute("textContent") or ""
        for e in browser.find_elements(By.CSS_SELECTOR, "pre.suggestion > code")
    ]
    assert sorted(shown) == sorted(text for _, text in advised)
    assert browser.find_elements(By.CSS_SELECTOR, "pre.suggestion *:not(code)") == []
    assert browser.find_elements(By.CSS_SELECTOR, "#findings img") == []
    role_block = next(t for t in shown if t and "NOSUPERUSER" in t and "pre" in t)
    assert 'ALTER ROLE "r""\'</pre><script>document.title=\'pwned\'</script>" NOSUPERUSER;' in (
        role_block
    )
    autofix = browser.find_elements(By.CSS_SELECTOR, "p.autofix")
    assert any("opa-comply remediate plan --check AWS-S3-001" in a.text for a in autofix)
    assert all(a.is_displayed() for a in autofix)


def test_the_markdown_and_pr_comment_files_hold_the_same_suggestions(
    scanned: tuple[Path, dict[str, Any]],
) -> None:
    page, document = scanned
    texts = [f["suggestion"]["text"] for f in document["findings"] if "suggestion" in f]
    for name in ("opa-comply.md", "opa-comply.pr-comment.md"):
        body = (page.parent / name).read_text()
        for text in texts:
            assert text in body, (name, text)
