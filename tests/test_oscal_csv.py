"""The OSCAL Assessment Results and CSV reports, from the real (normalised) scan of the
examples that the golden files use, from hand-built reports for the odd cases, and once
through the CLI's --report-dir."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex  # type: ignore[import-untyped]  # no stubs; only `search` is used

from compliance_opa.baseline import finding_fingerprint
from compliance_opa.findings import Finding, Severity, Status
from compliance_opa.reports import FILE_NAMES, RENDERERS, csv_report, oscal
from compliance_opa.scan import ScanReport
from compliance_opa.waivers import Waiver
from tests import report_builder as rb
from tests.conftest import REPO, VIOLATING, run_cli
from tests.golden_reports import WAIVER, golden_report

SCHEMA = REPO / "tests" / "schemas" / "oscal_assessment-results_schema.json"


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    # OSCAL's schema writes ECMA-262 patterns with Unicode property classes (\p{L}, \p{N})
    # that Python's `re` rejects; the `regex` module understands them.
    if validator.is_type(instance, "string") and regex.search(pattern, instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 7 as the schema declares, with `pattern` through `regex`, and formats checked where
# jsonschema can (date-time, via rfc3339-validator).
OscalValidator: type[jsonschema.protocols.Validator]
OscalValidator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft7Validator, {"pattern": _pattern}
)


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return schema


def _errors(document: Any) -> list[jsonschema.ValidationError]:
    validator = OscalValidator(_schema(), format_checker=OscalValidator.FORMAT_CHECKER)
    return list(validator.iter_errors(document))


def _assert_valid(document: Any) -> None:
    errors = _errors(document)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def _oscal(report: ScanReport) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(oscal.render(report))
    return document


def _props(item: dict[str, Any], name: str) -> list[str]:
    return [p["value"] for p in item.get("props", []) if p["name"] == name]


def _prop(item: dict[str, Any], name: str) -> str:
    [value] = _props(item, name)
    return value


@pytest.fixture(scope="module")
def report() -> ScanReport:
    return golden_report()


@pytest.fixture(scope="module")
def result(report: ScanReport) -> dict[str, Any]:
    document = _oscal(report)
    [first] = document["assessment-results"]["results"]
    assert isinstance(first, dict)
    return first


# ---------------------------------------------------------------------------------- OSCAL


def test_oscal_validates_against_the_nist_schema(report: ScanReport) -> None:
    document = _oscal(report)
    _assert_valid(document)
    ar = document["assessment-results"]
    assert ar["metadata"]["oscal-version"] == "1.2.1"
    assert ar["metadata"]["last-modified"] == report.finished_at
    assert _prop(ar["metadata"], "opa-version") == report.opa_version
    assert _prop(ar["metadata"], "policy-digest") == report.policy_digest
    # import-ap resolves to the back-matter resource standing in for the plan.
    plan = ar["import-ap"]["href"].removeprefix("#")
    assert plan in {r["uuid"] for r in ar["back-matter"]["resources"]}


def test_the_validator_really_checks_the_schema_patterns(report: ScanReport) -> None:
    # Plain Draft 7 cannot even compile the token pattern: hence the extended validator.
    with pytest.raises(re.error):
        jsonschema.Draft7Validator(_schema()).validate(_oscal(report))

    def broken(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
        document = _oscal(report)
        node: Any = document["assessment-results"]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return document

    cases = {
        ("uuid",): "not-a-uuid",
        ("results", 0, "uuid"): str(uuid.uuid1()),  # a version 1 UUID: OSCAL wants 4 or 5
        ("results", 0, "findings", 0, "target", "target-id"): "Art.32(1)(a)",  # not a token
        ("results", 0, "findings", 0, "props", 0, "name"): "1st",  # \p{L} or _ first
        ("results", 0, "findings", 0, "props", 0, "value"): " padded",
        ("results", 0, "start"): "2026-11-23T10:00:00",  # no timezone
        ("metadata", "title"): "two\nlines",
    }
    for path, value in cases.items():
        errors = _errors(broken(path, value))
        # Exactly there (a bad date-time breaks both its pattern and its format).
        assert {tuple(e.absolute_path) for e in errors} == {("assessment-results", *path)}, path
    # \p{L} is any letter, not only ASCII ones.
    assert not _errors(broken(("results", 0, "findings", 0, "target", "target-id"), "gdpr-ärt.3"))
    assert not _errors(broken(("results", 0, "findings", 0, "props", 0, "name"), "ärt_3"))


def test_oscal_findings_correspond_one_to_one_with_the_scan(
    report: ScanReport, result: dict[str, Any]
) -> None:
    findings = result["findings"]
    expected = Counter((f.check.check_id, f.resource, f.status.value) for f in report.findings)
    actual = Counter(
        (_prop(f, "check-id"), _prop(f, "resource"), _prop(f, "status")) for f in findings
    )
    assert actual == expected
    assert {s.value for s in Status} <= {key[2] for key in actual}  # every status covered
    assert [_prop(f, "fingerprint") for f in findings] == [
        finding_fingerprint(f) for f in report.findings_by_severity()
    ]
    observations = {o["uuid"]: o for o in result["observations"]}
    risks = {r["uuid"]: r for r in result["risks"]}
    for finding in findings:
        state = finding["target"]["status"]
        assert state["state"] == "not-satisfied"
        [link] = finding["related-observations"]
        seen = observations[link["observation-uuid"]]
        assert seen["types"] == ["finding"]
        assert _prop(seen, "resource") == _prop(finding, "resource")
        [risk_link] = finding["related-risks"]
        risk = risks[risk_link["risk-uuid"]]
        assert _prop(risk, "risk-score") == _prop(finding, "risk-score")
        status = _prop(finding, "status")
        assert state["reason"] == ("other" if status == "indeterminate" else "fail")
        expected_risk = {"fail": "open", "indeterminate": "investigating"}
        assert risk["status"] == expected_risk.get(status, "deviation-approved")
    [waived] = [f for f in findings if _prop(f, "status") == "waived"]
    assert _prop(waived, "waiver-ticket") == WAIVER.ticket
    assert WAIVER.ticket in waived["remarks"]
    [waived_risk] = [risks[link["risk-uuid"]] for link in waived["related-risks"]]
    assert waived_risk["deadline"] == "2026-12-31T23:59:59Z"


def test_oscal_reviews_the_controls_the_selected_frameworks_cover(
    report: ScanReport, result: dict[str, Any]
) -> None:
    selections = result["reviewed-controls"]["control-selections"]
    by_framework = {
        _prop(s, "framework"): {c["control-id"] for c in s["include-controls"]} for s in selections
    }
    assert list(by_framework) == list(report.frameworks)
    for summary in report.summaries:
        tokens = {oscal.control_token(summary.framework, c.control_id) for c in summary.controls}
        assert by_framework[summary.framework] == tokens
    assert "gdpr-art.32.1.a" in by_framework["gdpr"]
    assert "hipaa-164.312.a.2.iv" in by_framework["hipaa"]
    reviewed = set().union(*by_framework.values())
    for finding in result["findings"]:
        assert finding["target"]["type"] == "objective-id"
        assert finding["target"]["target-id"] in reviewed
        for control in finding["props"]:
            if control["name"] == "control":
                token = oscal.control_token(control["class"], control["value"])
                assert token in by_framework[control["class"]]


def test_oscal_of_one_framework_reviews_and_targets_only_its_controls(report: ScanReport) -> None:
    # As `--framework hipaa` selects: only the checks mapped to it.
    hipaa = replace(
        report,
        frameworks=("hipaa",),
        results=tuple(r for r in report.results if r.check.maps_to(("hipaa",))),
        summaries=tuple(s for s in report.summaries if s.framework == "hipaa"),
    )
    document = _oscal(hipaa)
    _assert_valid(document)
    [result] = document["assessment-results"]["results"]
    [selection] = result["reviewed-controls"]["control-selections"]
    assert _prop(selection, "framework") == "hipaa"
    assert {f["target"]["target-id"].split("-")[0] for f in result["findings"]} == {"hipaa"}
    assert {f["target"]["title"].split()[0] for f in result["findings"]} == {"HIPAA"}
    classes = {p.get("class") for f in result["findings"] for p in f["props"]}
    assert classes == {None, "hipaa"}  # controls of unselected frameworks are not listed


def test_oscal_observes_each_finding_and_summarises_each_passing_check(
    report: ScanReport, result: dict[str, Any]
) -> None:
    observations = result["observations"]
    assert Counter(o["types"][0] for o in observations)["finding"] == len(report.findings)
    passes = {_prop(o, "check-id"): o for o in observations if o["types"] == ["control-objective"]}
    items = {i["uuid"]: i for i in result["local-definitions"]["inventory-items"]}
    for check in report.results:
        passed = set(check.evaluated) - {f.resource for f in check.findings}
        if not passed:
            assert check.check.check_id not in passes
            continue
        observed = passes[check.check.check_id]
        subjects = {items[s["subject-uuid"]]["props"][0]["value"] for s in observed["subjects"]}
        assert subjects == passed
    for observation in observations:
        assert observation["methods"] == ["TEST"]
        assert observation["collected"] in {"2026-11-23T09:00:00Z", "2026-11-23T09:05:00Z"}


def test_oscal_uuids_are_unique_and_deterministic(report: ScanReport) -> None:
    first = oscal.render(report)
    assert oscal.render(report) == first
    document = json.loads(first)
    defined = list(_defined_uuids(document))
    assert len(defined) == len(set(defined))
    assert all(uuid.UUID(u).version == 5 for u in defined)
    # Another scan: another document, the same resources as the same subjects.
    later = json.loads(oscal.render(replace(report, scan_id="42")))
    assert later["assessment-results"]["uuid"] != document["assessment-results"]["uuid"]

    def items(doc: dict[str, Any]) -> list[str]:
        [result] = doc["assessment-results"]["results"]
        return [i["uuid"] for i in result["local-definitions"]["inventory-items"]]

    assert items(later) == items(document)


def _defined_uuids(node: Any) -> Iterator[str]:
    # "uuid" keys define objects; "*-uuid" keys refer to them.
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "uuid":
                yield value
            yield from _defined_uuids(value)
    elif isinstance(node, list):
        for item in node:
            yield from _defined_uuids(item)


@pytest.mark.parametrize(
    ("framework", "control", "token"),
    [
        ("gdpr", "Art.32(1)(a)", "gdpr-art.32.1.a"),
        ("hipaa", "164.312(a)(2)(iv)", "hipaa-164.312.a.2.iv"),
        ("hipaa", "164.308(a)(1)(ii)(B)", "hipaa-164.308.a.1.ii.b"),
        ("pci_dss", "10.2.1.1", "pci_dss-10.2.1.1"),
        ("soc2", "CC6.1", "soc2-cc6.1"),
        ("9x", "A 1 / b", "_9x-a.1.b"),
    ],
)
def test_control_tokens_follow_nist_enhancement_style(
    framework: str, control: str, token: str
) -> None:
    assert oscal.control_token(framework, control) == token
    assert regex.fullmatch(r"(\p{L}|_)(\p{L}|\p{N}|[.\-_])*", token)


def test_oscal_stays_valid_with_hostile_and_empty_content() -> None:
    check = rb.check("ODD-001", Severity.CRITICAL, ("gdpr", "hipaa"))
    check = replace(check, title=" ", remediation="", controls={"gdpr": ("Art.5(1)(f)",)})
    odd = "  arn:aws:rds:x\n:db:odd\r\u2028name  "
    waiver = Waiver("ODD-*", "*", " why\n", "o", "a", " T-1\n", date(2026, 12, 1), None, 0, "w")
    findings = [
        rb.finding(check, odd, message="\n"),
        replace(rb.finding(check, "arn:b", Status.WAIVED), waiver=waiver),
        rb.finding(check, "arn:b", Status.WAIVED, message="second on the same resource"),
    ]
    report = replace(
        rb.report({"ODD-001": [odd, "arn:b", "arn:c"]}, findings),
        started_at="2026-11-23T11:00:00+01:00",
        scope=" \n",
        gaps=(rb.report({}, gaps=["eu-west-1"]).gaps),
    )
    document = _oscal(report)
    _assert_valid(document)
    [result] = document["assessment-results"]["results"]
    assert result["start"] == "2026-11-23T10:00:00Z"
    assert "eu-west-1" in result["remarks"]
    assert len({f["uuid"] for f in result["findings"]}) == 3
    # Nothing evaluated, nothing found: still a valid document, with nothing claimed.
    empty = replace(rb.report({}), frameworks=("gdpr",))
    document = _oscal(empty)
    _assert_valid(document)
    [result] = document["assessment-results"]["results"]
    assert "findings" not in result
    assert "observations" not in result
    [selection] = result["reviewed-controls"]["control-selections"]
    assert "remarks" in selection


# ------------------------------------------------------------------------------------ CSV


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_parses_back_one_row_per_finding_highest_risk_first(report: ScanReport) -> None:
    text = csv_report.render(report)
    assert text.startswith('"risk","severity","status","check_id",')
    assert text.endswith("\r\n")
    rows = _rows(text)
    assert list(rows[0]) == list(csv_report.COLUMNS)
    ordered = report.findings_by_severity()
    assert len(rows) == len(report.findings) == len(ordered)
    assert [(r["check_id"], r["resource"], r["status"]) for r in rows] == [
        (f.check.check_id, f.resource, f.status.value) for f in ordered
    ]
    risks = [int(r["risk"]) for r in rows]
    assert risks == sorted(risks, reverse=True)
    assert [r["fingerprint"] for r in rows] == [finding_fingerprint(f) for f in ordered]
    first = rows[0]
    assert (first["check_id"], first["severity"]) == ("AWS-RDS-002", "critical")
    assert first["controls"].startswith("gdpr:Art.32(1)(b); gdpr:Art.25(2); hipaa:164.312(e)(1);")
    assert "soc2:CC6.6" in first["controls"]


def test_csv_waived_finding_shows_its_ticket_and_expiry(report: ScanReport) -> None:
    rows = _rows(csv_report.render(report))
    waived = [r for r in rows if r["status"] == "waived"]
    assert [(r["check_id"], r["resource"]) for r in waived] == [(WAIVER.check, WAIVER.resource)]
    assert waived[0]["waiver"] == "SEC-1234 expires 2026-12-31"
    assert all(r["waiver"] == "" for r in rows if r["status"] != "waived")


@pytest.mark.parametrize(
    "payload",
    ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_csv_neutralises_formula_injection(payload: str) -> None:
    check = replace(rb.check("INJ-001"), title=payload, remediation=payload)
    finding: Finding = replace(rb.finding(check, payload, message=payload), resource_type=payload)
    rows = _rows(csv_report.render(rb.report({"INJ-001": [payload]}, [finding])))
    [row] = rows
    for column in ("title", "resource", "resource_type", "message", "remediation"):
        assert row[column] == "'" + payload, column
    # Ordinary text stays untouched, even with a sign inside.
    assert csv_report.neutralise("db-1 = open") == "db-1 = open"


def test_csv_keeps_a_cell_with_separators_and_newlines_whole() -> None:
    message = 'a;=cmd()|b,"c"\r\nd'
    finding = rb.finding(rb.check("X-1"), "arn:x", message=message)
    text = csv_report.render(rb.report({"X-1": ["arn:x"]}, [finding]))
    assert '"a;=cmd()|b,""c""\r\nd"' in text  # every cell quoted: no split on ";" either
    [row] = _rows(text)
    assert row["message"] == message


# ---------------------------------------------------------------------------- the wiring


def test_report_dir_writes_valid_csv_and_oscal(tmp_path: Path) -> None:
    assert (RENDERERS["csv"], FILE_NAMES["csv"]) == (csv_report.render, "opa-comply.csv")
    assert (RENDERERS["oscal"], FILE_NAMES["oscal"]) == (oscal.render, "opa-comply.oscal.json")
    result = run_cli("scan", *VIOLATING, "--report-dir", tmp_path, "--fail-on", "none")
    assert result.code == 0, result.stderr
    findings = json.loads((tmp_path / "opa-comply.json").read_text())["findings"]
    rows = _rows((tmp_path / "opa-comply.csv").read_bytes().decode("utf-8"))
    assert len(rows) == len(findings)
    document = json.loads((tmp_path / "opa-comply.oscal.json").read_text())
    _assert_valid(document)
    assert len(document["assessment-results"]["results"][0]["findings"]) == len(findings)
