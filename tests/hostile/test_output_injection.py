"""Text from the scanned estate (and from a receiver's answer) that tries to escape its
output format: terminal escape sequences in tables (ESC[2J clears the screen), a lone CR
that opens an HTML comment and hides every later finding of a Markdown report, images
(tracking pixels), links, raw HTML and @mentions in pull-request comments, markup in the
HTML report and formulas in CSV.

Every address, name, message, gap and error body here is data: each output shows it as
text, with control characters visibly escaped (`\\x1b`), as the one-line errors do.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from collectors.snapshot import Source
from compliance_opa.app.evaluate import run_scan
from compliance_opa.cli.views.progress import gap_line
from compliance_opa.domain.changes import Drift
from compliance_opa.domain.findings import Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.domain.waivers import Waiver, WaiverOutcome
from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.inventory.load import load_inventories
from compliance_opa.reports import RENDERERS, csv_report, markdown, table
from compliance_opa.reports.checks import as_markdown
from tests import report_builder as rb
from tests.conftest import EXAMPLES, POLICIES, run_cli
from tests.receivers import HttpReceiver, Reply

# What each failing resource of the examples carries at the end of its address and name.
HOSTILE = {
    # Terminal: clear the screen and home the cursor.
    "arn:aws:rds:eu-west-1:123456789012:db:orders": "\x1b[2J\x1b[H",
    # Markdown: a lone CR puts `<!--` at the start of a line, an HTML block that hides
    # everything after it.
    "arn:aws:rds:eu-west-1:123456789012:db:patients": "x\r<!--\r",
    "arn:aws:rds:eu-west-1:123456789012:cluster:analytics": "\n<!--\n",
    "arn:aws:s3:::acme-invoices": "<img src=x onerror=alert(1)>![](http://evil.example/p.png)",
    "arn:aws:s3:::acme-static-site": (
        "[click](https://evil.example/phish) <https://evil.example/auto>"
        " https://evil.example/bare www.evil.example"
    ),
    "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60001": (
        "@acme/security-team cc @octocat, ops@example.com"
    ),
    "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60002": (
        "| pipe | `tick` ``two`` **bold** _em_ ~~s~~ $x$ &amp; &#64;x \\"
    ),
    # Terminal: bidi overrides (the address reads backwards), DEL and backspace.
    "postgresql://db.internal:5432": "\u202eevil\u202c\u2066x\u2069\x7f\x08",
    # Terminal: set the window title (OSC ... BEL), C1 CSI, NEL.
    "postgresql://db.internal:5432/hba/1": "\x1b]0;owned\x07\x9b31m\x85",
    "postgresql://db.internal:5432/hba/2": "\r\n# heading\n- item\n> quote\n1. one\n<!--",
    "postgresql://db.internal:5432/hba/3": "\t\x0b\x0c\u2028\u2029\x1bc",
}
# A message that quotes estate text with %s, not %q: the region reaches it raw.
EBS_REGION = "eu-west-1\x1b[2J\x1b]0;owned\x07 <!-- @octocat ![](http://evil.example/r.png)"
GAP_SCOPE = "123456789012/eu-west-1/\x1b[2Jrds<!--"
GAP_DETAIL = "AccessDenied \x1b]0;owned\x07 @octocat ![](http://evil.example/g.png)\r<!--"
SNAPSHOT_ID = "snap\x1b[2J`<!--"
# What a receiver answers: stored in the outbox as the row's last error.
ERROR_BODY = b'{"error":"\x1b[2J\x1b[H\x1b]0;owned\x07 \xe2\x80\xae gnirts"}'

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def shown(text: str) -> str:
    """Text as every output shows it: control characters escaped as Python writes them."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def raw_controls(text: str, allowed: str = "\n") -> list[str]:
    """C0 and C1 controls, DEL and bidi overrides in text (other than `allowed`)."""
    return sorted(
        {
            c
            for c in text
            if c not in allowed and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in BIDI)
        }
    )


def hostile_inventories(folder: Path) -> list[Path]:
    aws = json.loads((EXAMPLES / "aws-production.json").read_text())
    postgres = json.loads((EXAMPLES / "postgres-orders.json").read_text())
    for document in (aws, postgres):
        for resource in document["resources"]:
            payload = HOSTILE[resource["address"]]
            resource["address"] += payload
            resource["name"] += payload
    aws["resources"].append(
        {
            "address": "arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default",
            "type": "aws_ebs_encryption_by_default",
            "provider": "aws",
            "name": "ebs-default",
            "account": "123456789012",
            "region": EBS_REGION,
            "attributes": {"enabled": False},
        }
    )
    aws["sources"].append(
        {"kind": "aws", "scope": GAP_SCOPE, "status": "failed", "detail": GAP_DETAIL}
    )
    aws["snapshot_id"] = SNAPSHOT_ID
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "aws.json", folder / "postgres.json"]
    for path, document in zip(paths, (aws, postgres), strict=True):
        path.write_text(json.dumps(document), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def inventories(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return hostile_inventories(tmp_path_factory.mktemp("hostile"))


@cache
def _scan(paths: tuple[Path, ...]) -> ScanReport:
    with open_engine(EngineSettings(policies=POLICIES)) as client:
        return run_scan(load_inventories(list(paths)), client)


@pytest.fixture(scope="module")
def report(inventories: list[Path]) -> ScanReport:
    scanned = _scan(tuple(inventories))
    fails = [f for f in scanned.findings if f.status is Status.FAIL]
    assert len(fails) >= 9, [f.resource for f in fails]  # the examples' 8 and EBS
    assert any("\x1b" in f.message for f in fails)  # one message carries raw text
    assert scanned.gaps
    return scanned


# ------------------------------------------------------------------------ item 6: terminal


def test_findings_table_on_stdout_escapes_every_control_character(
    inventories: list[Path], report: ScanReport
) -> None:
    result = run_cli(
        "scan", *inventories, "--format", "table", "--fail-on", "none", env={"COLUMNS": "1000"}
    )
    assert result.code == 0, result.stderr
    assert raw_controls(result.stdout) == []
    for finding in report.findings:
        assert shown(finding.resource) in result.stdout, finding.resource
        assert shown(finding.message) in result.stdout, finding.message
    # The gap lines below the tables.
    assert shown(GAP_SCOPE) in result.stdout
    assert shown(GAP_DETAIL) in result.stdout


def test_table_report_file_escapes_every_control_character(
    inventories: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "report.txt"
    result = run_cli(
        "scan", *inventories, "--format", "table", "--output", out, "--fail-on", "none"
    )
    assert result.code == 0, result.stderr
    assert raw_controls(out.read_text(encoding="utf-8")) == []


def test_table_framework_waiver_drift_and_gap_lines_escape_control_characters(
    report: ScanReport,
) -> None:
    evil = "w\x1b[2J\u202e\r\n"
    waiver = Waiver(
        check="X-*", resource="*", reason="r", owner="o", approver="a", ticket="T-1",
        expires=date(2026, 12, 31), created=None, index=0, source=f"waivers{evil}.yaml",
    )  # fmt: skip
    outcome = WaiverOutcome(
        in_force=(), expired=(waiver,), expiring=(waiver,), stale=(waiver,), applied={}
    )
    drift = Drift(f"scan{evil}", (), (), (), (), ())
    hostile = replace(report, waivers=outcome, drift=drift, opa_version=f"1.0{evil}")
    text = table.render(hostile)
    styled = table.styled(200, True, "truecolor")(hostile)
    assert raw_controls(text) == []
    assert text.count(shown(f"waivers{evil}.yaml:waivers[0]")) == 3
    assert shown(f"scan{evil}") in text
    assert shown(f"OPA 1.0{evil}") in text
    # On a terminal only our own colours: every ESC starts a colour (SGR) sequence.
    assert raw_controls(re.sub(r"\x1b\[[0-9;]*m", "", styled)) == []


def test_alerts_list_escapes_a_receivers_error_body_and_estate_text(
    inventories: list[Path], tmp_path: Path, webhook: HttpReceiver
) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "drift": {"scope": "production"},
                "alerts": {
                    "channels": {
                        "siem": {"type": "webhook", "url": f"{webhook.url}/h", "secret_env": "K"}
                    },
                    "rules": [{"name": "all", "channels": ["siem"]}],
                    "delivery": {"backoff_seconds": 0.2, "max_wait_seconds": 20},
                },
            }
        )
    )
    state = tmp_path / "state.db"
    webhook.script(Reply(400, body=ERROR_BODY))  # the first alert is refused for good
    drift = run_cli(
        "drift", *inventories, "--config", config, "--state", state,
        "--format", "json", "--fail-on", "none", env={"K": "webhook-secret-for-tests"},
    )  # fmt: skip
    assert drift.code == 0, drift.stderr
    with sqlite3.connect(state) as db:
        errors = [e for (e,) in db.execute("SELECT last_error FROM outbox") if e]
        resources = [json.loads(e)["resource"] for (e,) in db.execute("SELECT event FROM outbox")]
    assert any("\x1b[2J" in e for e in errors), errors  # stored as the receiver sent it
    listed = run_cli("alerts", "list", "--state", state, env={"COLUMNS": "1000"})
    assert listed.code == 0, listed.stderr
    assert raw_controls(listed.stdout) == []
    assert shown(errors[0]) in listed.stdout
    assert any(raw_controls(r) for r in resources)
    for resource in resources:
        assert shown(resource) in listed.stdout


def test_policies_list_table_escapes_check_metadata(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(POLICIES, policies)
    original = policies / "checks" / "aws" / "redshift" / "publicly_accessible.rego"
    text = original.read_text()
    assert "# title: Redshift cluster publicly accessible\n" in text
    text = text.replace(
        "# title: Redshift cluster publicly accessible\n",
        '# title: "Redshift \\e[2J\\e]0;owned\\a \\u202e title"\n',
    )
    original.write_text(text)
    result = run_cli("policies", "list", "--policies", policies, env={"COLUMNS": "1000"})
    assert result.code == 0, result.stderr
    assert raw_controls(result.stdout) == []
    assert shown("Redshift \x1b[2J\x1b]0;owned\x07 \u202e title") in result.stdout


def test_collection_gap_lines_escape_control_characters() -> None:
    source = Source(kind="aws", scope=GAP_SCOPE, status="failed", detail=GAP_DETAIL)
    line = gap_line(source)
    assert raw_controls(line, allowed="") == []
    assert shown(GAP_SCOPE) in line
    assert shown(GAP_DETAIL) in line


# ------------------------------------------------------------- item 7: Markdown and PR


def _parser() -> MarkdownIt:
    """CommonMark with raw HTML on (as GitHub and most wikis), GFM tables and strikethrough."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


@dataclass
class MdTable:
    heading: str
    header: list[str]
    rows: list[list[str]]


CELLS = ("td_open", "th_open")


def _tables(tokens: list[Token]) -> list[MdTable]:
    found: list[MdTable] = []
    heading = ""
    current: MdTable | None = None
    row: list[str] | None = None
    in_body = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = tokens[i + 1].content
        elif token.type == "table_open":
            current = MdTable(heading, [], [])
        elif token.type == "tbody_open":
            in_body = True
        elif token.type == "table_close" and current is not None:
            found.append(current)
            current, in_body = None, False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and current is not None and row is not None:
            if in_body:
                current.rows.append(row)
            else:
                current.header = row
        elif token.type == "inline" and row is not None and tokens[i - 1].type in CELLS:
            row.append(_inline_text(token).replace("\u200b", ""))
    return found


# GitHub links these in text (GFM autolinks) and pings @mentions; it does neither inside
# code spans nor across text split by an escape or an entity (cmark-gfm's text nodes).
_GFM_MAGIC = {
    "url autolink": re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://"),
    "www autolink": re.compile(r"(?i)(?<![A-Za-z0-9])www\."),
    "email autolink": re.compile(r"[A-Za-z0-9._+-]@[A-Za-z0-9-]+\.[A-Za-z]"),
    "mention": re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9]"),
}


# The PR comment's own HTML: its remediation folds away.
OUR_HTML = ("<details><summary>Remediation</summary>\n", "</details>\n")


def assert_inert_markdown(text: str) -> list[Token]:
    """The Markdown holds no HTML (but the template's own), image, link, autolink or
    mention; returns its tokens."""
    parser = _parser()
    tokens = parser.parse(text)
    html_blocks = [t.content for t in tokens if t.type == "html_block"]
    assert set(html_blocks) <= set(OUR_HTML), html_blocks
    kinds = {t.type for t in _walk(tokens)}
    assert not kinds & {"html_inline", "image", "link_open"}, kinds
    rendered = parser.render(text)
    for markup in ("<img", "<a ", "<!--", "<script", "<iframe", "<svg"):
        assert markup not in rendered, markup
    # Without text_join, every escape and entity stays its own text token.
    split = _parser().disable("text_join")
    for token in _walk(split.parse(text)):
        if token.type == "text":
            for name, pattern in _GFM_MAGIC.items():
                assert not pattern.search(token.content), (name, token.content)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [h for h in headings if "heading" in h], headings  # none made by the estate
    return tokens


def test_markdown_report_shows_hostile_text_as_text(report: ScanReport) -> None:
    text = RENDERERS["markdown"](report)
    assert "\r" not in text
    assert raw_controls(text) == []
    tokens = assert_inert_markdown(text)
    [findings] = [t for t in _tables(tokens) if t.heading == "Findings"]
    expected = report.findings_by_severity()
    assert len(findings.rows) == len(expected)  # every finding still a row of its own
    for row, finding in zip(findings.rows, expected, strict=True):
        assert row[2] == finding.check.check_id
        assert row[3] == shown(finding.resource)  # the address reads as the original
        assert row[5] == shown(finding.message)
    body = _parser().render(text)
    assert "Remediation plan" in body  # nothing hidden after the findings
    assert "Evidence" in body
    assert shown(SNAPSHOT_ID) in html.unescape(body)
    assert html.escape(shown(GAP_DETAIL), quote=False) in body.replace("\u200b", "")


def test_pr_comment_shows_hostile_text_as_text(report: ScanReport) -> None:
    text = RENDERERS["pr-comment"](report)
    assert "\r" not in text
    assert raw_controls(text) == []
    tokens = assert_inert_markdown(text)
    tables = _tables(tokens)
    new = [r for t in tables if t.header == ["Severity", "Check", "Resource", "Finding"]
           for r in t.rows]  # fmt: skip
    failing = [f for f in report.findings_by_severity() if f.status is Status.FAIL]
    assert sorted(tuple(r) for r in new) == sorted(
        (f.check.severity.value, f.check.check_id, shown(f.resource), shown(f.message))
        for f in failing
    )
    [undecided] = [t for t in tables if t.header == ["Check", "Resource", "Attribute"]]
    indeterminate = [f for f in report.findings_by_severity() if f.status is Status.INDETERMINATE]
    assert [r[1] for r in undecided.rows] == [shown(f.resource) for f in indeterminate]


@pytest.mark.parametrize(
    "value",
    [
        "x\r<!--\r",
        "a\nb",
        "# heading",
        "- item",
        "+ item",
        "> quote",
        "1. one",
        "12) twelve",
        "    indented code",
        "=== setext",
        "~~~ fence",
        "``` fence",
        "![](http://evil.example/p.png)",
        "[x](https://evil.example)",
        "[x][ref]\n\n[ref]: https://evil.example",
        "<https://evil.example>",
        "<b>bold</b>",
        "<!-- hidden -->",
        "&lt;b&gt; &copy; &#64;x",
        "@octocat @org/team",
        "(@octocat)",
        "https://evil.example/x www.evil.example ftp://evil.example",
        "ops@example.com",
        "*em* **strong** _em_ __strong__ ~~del~~ ~del~",
        "`code` ``code``",
        "$x^2$ $$y$$",
        "back\\slash \\* \\",
        "a | b",
        "[!WARNING] [^1]",
        "\x1b[2J\u202eevil\x7f\x85",
    ],
)
@pytest.mark.parametrize("where", ["paragraph", "list", "quote", "cell"])
def test_markdown_text_escape_round_trips(value: str, where: str) -> None:
    escaped = markdown.text(value)
    document = {
        "paragraph": f"{escaped}\n",
        "list": f"- {escaped}\n- next\n",
        "quote": f"> - {escaped}\n",
        "cell": f"| a | b |\n|---|---|\n| {escaped} | {escaped} |\n",
    }[where]
    tokens = assert_inert_markdown(document)
    inline = [t for t in tokens if t.type == "inline"]
    kinds = {t.type for t in tokens}
    assert not kinds & {"heading_open", "code_block", "fence", "hr", "ordered_list_open"}
    if where == "cell":
        assert [_inline_text(t).replace("\u200b", "") for t in inline[2:]] == [shown(value)] * 2
    else:
        assert _inline_text(inline[0]).replace("\u200b", "") == shown(value)


@pytest.mark.parametrize(
    "value", ["plain", "a`b", "``x``", "`lead", "trail`", " spaced ", "a|b", "x\r<!--\r", "a\\"]
)
@pytest.mark.parametrize("in_table", [False, True])
def test_markdown_code_span_round_trips(value: str, in_table: bool) -> None:
    span = markdown.code(value, table=in_table)
    document = f"| a |\n|---|\n| {span} |\n" if in_table else f"- {span}\n"
    tokens = [t for t in _walk(_parser().parse(document)) if t.type == "code_inline"]
    assert [t.content for t in tokens] == [shown(value)]


def test_check_list_markdown_escapes_check_metadata() -> None:
    title = "t\r<!--\r ![](http://evil.example/p.png) @team"
    text = as_markdown([replace(rb.check("AWS-X-001"), title=title)])
    assert "\r" not in text
    [table] = _tables(assert_inert_markdown(text))
    assert table.rows[0][:3] == ["AWS-X-001", "high", shown(title)]


# --------------------------------------------------------------------------- HTML and CSV


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.comments: list[str] = []
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr" and ("class", "finding") in attrs:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._row.append("")
            self._in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row and self._in_cell:
            self._row[-1] += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def test_html_report_shows_hostile_text_as_text(report: ScanReport) -> None:
    text = RENDERERS["html"](report)
    assert raw_controls(text) == []
    page = _Html()
    page.feed(text)
    assert not {"img", "a", "iframe", "object", "embed"} & set(page.tags)
    assert page.tags.count("script") == 2  # the filters and the print hook, no more
    assert page.comments == []
    expected = report.findings_by_severity()
    assert len(page.rows) == len(expected)
    for row, finding in zip(page.rows, expected, strict=True):
        assert row[3] == shown(finding.resource)
        assert row[5] == shown(finding.message)


def test_csv_report_neutralises_hostile_cells(report: ScanReport) -> None:
    """Already so before the hardening (csv_report.neutralise): kept as a regression test."""
    first = report.findings[0]
    formula = replace(first, resource='=HYPERLINK("http://evil.example","x")', message="@SUM(1)")
    results = tuple(
        replace(r, findings=(formula, *r.findings)) if first in r.findings else r
        for r in report.results
    )
    hostile = replace(report, results=results)
    rows = list(csv.DictReader(io.StringIO(csv_report.render(hostile))))
    assert len(rows) == len(report.findings) + 1
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    [injected] = [r for r in rows if r["message"] == "'@SUM(1)"]
    assert injected["resource"] == '\'=HYPERLINK("http://evil.example","x")'
    assert {r["resource"] for r in rows} >= {f.resource for f in report.findings}
