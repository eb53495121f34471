"""The "Audit activity in the period" section of each report format, the stored report and
the evidence record, from reports holding audit-log summaries (golden-free: the golden
reports have none, and render exactly as before)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from compliance_opa.domain.audit import audit_of
from compliance_opa.evidence.record import Entry, SourceDigest, canonical, new_record, parse_record
from compliance_opa.reports import RENDERERS, html, json_report, markdown, oscal
from compliance_opa.state import report_codec
from tests import report_builder as rb
from tests.audit_support import (
    EVIL,
    SHA_A,
    SHA_B,
    SHA_C,
    audit_report,
    cloudtrail_summary,
    example_summaries,
    postgresql_summary,
)
from tests.integration.test_oscal_csv import _assert_valid


@pytest.fixture(scope="module")
def report() -> Any:
    return audit_report()


def test_reports_without_audit_activity_render_without_the_section() -> None:
    plain = rb.report({"C-1": ["r"]}, [rb.finding(rb.check("C-1"), "r")])
    for report in (plain, replace(audit_report(), audit=())):
        for name, render in RENDERERS.items():
            assert "Audit activity" not in render(report), name
        text = json_report.render(report)
        assert "audit_activity" not in text
        assert "audit_sources" not in text
        assert "EXAMINE" not in oscal.render(report)


def test_json_section(report: Any) -> None:
    document = json.loads(json_report.render(report))
    pg, ct = sorted(document["audit_activity"], key=lambda a: a["kind"])[::-1]
    assert (pg["kind"], pg["resource"]) == ("postgresql", "postgresql-audit://clinic-primary")
    assert pg["period"] == {"start": "2026-11-01T00:00:00Z", "end": "2026-12-01T00:00:00Z"}
    assert pg["counts"]["total_operations"] == 1234
    assert pg["counts"]["sensitive_operations"] == 57
    assert pg["counts"]["access_violations"] == 3
    roles = pg["lists"]["role_statements"]
    assert (roles["total"], roles["shown"], roles["known"]) == (1, 1, True)
    assert EVIL in roles["rows"][0]  # JSON keeps the text; json.dumps escapes it
    assert ct["counts"]["root_activity"] == 600
    assert ct["lists"]["root_activity"]["total"] == 600
    assert ct["lists"]["root_activity"]["shown"] == 1
    assert [s["sha256"] for s in ct["sources"]] == [SHA_B, SHA_C]
    evidence = document["assessment"]["evidence"]["audit_sources"]
    assert sorted(e["sha256"] for e in evidence) == [SHA_A, SHA_B, SHA_C]


def test_json_shows_an_unknown_count_as_null_never_zero() -> None:
    resource = postgresql_summary()
    resource["attributes"]["access_violations_total"] = "3"
    document = json.loads(json_report.render(audit_report(resource)))
    assert document["audit_activity"][0]["counts"]["access_violations"] is None


def test_markdown_section_escapes_estate_text(report: Any) -> None:
    text = markdown.render(report)
    section = text[
        text.index("## Audit activity in the period") : text.index("## Remediation plan")
    ]
    assert "### PostgreSQL audit log (pgaudit): clinic-primary" in section
    assert "| Total operations | 1234 |" in section
    assert "| Sensitive operations | 57 |" in section
    assert "| Access violations | 3 |" in section
    assert "| Root user activity | 600 |" in section
    assert "**Root user activity**: 1 shown of 600." in section
    assert f"`{SHA_A}`" in section
    # Hostile text, escaped as findings' messages are: no tag, link, image, mention, cell
    # break or escape character.
    assert section.count(markdown.text(EVIL)) == 4  # role change, grant, IAM change, digest
    assert "<img" not in section
    assert not re.search(r"(?<!\\)\]\(http", section)  # no link: its ] is escaped
    assert "\x1b" not in section
    assert "@admin" not in section
    assert sum("pwned" in line for line in section.splitlines()) == 4  # + a digest problem
    width = 0  # every row of a table has as many cells as its header
    for line in section.splitlines():
        cells = len(re.findall(r"(?<!\\)\|", line))
        if not line.startswith("|"):
            width = 0
        elif width == 0:
            width = cells
        else:
            assert cells == width, line


def test_markdown_unknown_count_and_list(report: Any) -> None:
    resource = postgresql_summary()
    resource["attributes"]["failed_logins_total"] = None
    resource["attributes"]["ddl_statements"] = "dropped"
    text = markdown.render(audit_report(resource))
    assert "| Failed logins | unknown |" in text
    assert "DDL statements: unknown (missing or of an unexpected shape in the summary)." in text


def test_html_section_is_autoescaped(report: Any) -> None:
    text = html.render(report)
    section = text[
        text.index('<section id="audit-activity">') : text.index('<section id="remediation-plan">')
    ]
    assert "<img" not in section
    assert "&lt;img src=x onerror=" in section
    assert "\\x1b" in section
    assert "\x1b" not in section
    assert (
        '<tr data-count="total_operations"><td>Total operations</td><td>1234</td></tr>' in section
    )
    assert '<details data-list="root_activity" open>' in section
    assert "Root user activity: 1 shown of 600" in section


def test_oscal_observations_are_schema_valid(report: Any) -> None:
    document = json.loads(oscal.render(report))
    _assert_valid(document)
    result = document["assessment-results"]["results"][0]
    audit = [o for o in result["observations"] if o["methods"] == ["EXAMINE"]]
    assert len(audit) == 2
    pg = next(o for o in audit if "pgaudit" in o["title"])
    props = {p["name"]: p["value"] for p in pg["props"]}
    assert props["audit-total-operations"] == "1234"
    assert props["audit-sensitive-operations"] == "57"
    assert props["audit-access-violations"] == "3"
    assert props["period-start"] == "2026-11-01T00:00:00Z"
    assert pg["collected"] == "2026-12-01T00:00:00Z"
    items = {i["uuid"] for i in result["local-definitions"]["inventory-items"]}
    assert all(s["subject-uuid"] in items for o in audit for s in o["subjects"])
    back = {r["uuid"]: r for r in document["assessment-results"]["back-matter"]["resources"]}
    [evidence] = pg["relevant-evidence"]
    source = back[evidence["href"][1:]]
    assert source["rlinks"][0]["hashes"] == [{"algorithm": "SHA-256", "value": SHA_A}]


def test_oscal_stays_valid_with_unknown_counts_and_hostile_text() -> None:
    resource = cloudtrail_summary()
    resource["attributes"]["total_events"] = -1
    resource["attributes"]["period_end"] = "yesterday"
    resource["attributes"]["sources"] = [{"uri": EVIL, "sha256": SHA_B}, {"uri": "x"}]
    resource["address"] = EVIL
    document = json.loads(oscal.render(audit_report(resource)))
    _assert_valid(document)
    [o] = [o for o in document["assessment-results"]["results"][0]["observations"]
           if o["methods"] == ["EXAMINE"]]  # fmt: skip
    assert {p["name"]: p["value"] for p in o["props"]}["audit-total-operations"] == "unknown"


def test_the_examples_render_in_every_format() -> None:
    examples = example_summaries()
    assert examples
    report = audit_report(*examples)
    assert len(report.audit) == len(examples)
    for name, render in RENDERERS.items():
        assert render(report), name
    _assert_valid(json.loads(oscal.render(report)))
    text = markdown.render(report)
    assert text.count("### PostgreSQL audit log") + text.count("### AWS CloudTrail") == len(
        examples
    )


def test_stored_report_round_trip(report: Any) -> None:
    loaded = report_codec.loads(report_codec.dumps(report))
    assert loaded.audit == report.audit
    assert json_report.render(loaded) == json_report.render(report)
    assert markdown.render(loaded) == markdown.render(report)


def test_reports_stored_before_load_with_no_audit_activity(report: Any) -> None:
    stored = json.loads(report_codec.dumps(report))
    del stored["audit"]
    assert report_codec.loads(json.dumps(stored)).audit == ()
    plain = replace(report, audit=())
    assert "audit" not in json.loads(report_codec.dumps(plain))


def _entry(**extra: Any) -> Entry:
    return Entry(
        scan_id="scan-1",
        scope="prod",
        tool_version="test",
        opa_version="1.0",
        policy_digest="sha256:x",
        snapshot_digests=(),
        findings_digest="f" * 64,
        **extra,
    )


def test_the_evidence_record_holds_the_sources_digests(report: Any) -> None:
    sources = tuple(SourceDigest(a.resource, s.name, s.sha256) for a in report.audit
                    for s in a.digests)  # fmt: skip
    entry = _entry(audit_sources=sources)
    entry.check()
    record = new_record(entry, 1, "0" * 64, datetime(2026, 12, 1, tzinfo=UTC))
    assert parse_record(canonical(record)) == record
    assert sorted(d["sha256"] for d in record["audit_source_digests"]) == [SHA_A, SHA_B, SHA_C]
    plain = new_record(_entry(), 1, "0" * 64, datetime(2026, 12, 1, tzinfo=UTC))
    assert "audit_source_digests" not in plain
    with pytest.raises(Exception, match="sha256"):
        _entry(audit_sources=(SourceDigest("s", "n", "XYZ"),)).check()


def test_audit_of_reads_only_the_summaries() -> None:
    found = audit_of([postgresql_summary(), {"type": "aws_s3_bucket", "address": "b"}])
    assert [a.kind for a in found] == ["postgresql"]
