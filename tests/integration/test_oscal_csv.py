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

from compliance_opa.domain.findings import FRAMEWORK_NAMES, Catalogue, Finding, Severity, Status
from compliance_opa.domain.identity import finding_fingerprint
from compliance_opa.domain.rates import summarize_framework
from compliance_opa.domain.report import ScanReport
from compliance_opa.domain.waivers import Waiver
from compliance_opa.reports import FILE_NAMES, RENDERERS, csv_report, oscal
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


_DETERMINATIONS = {
    "compliant": ("satisfied", "pass"),
    "non_compliant": ("not-satisfied", "fail"),
    "indeterminate": ("not-satisfied", "other"),
}


def _hipaa_only(report: ScanReport) -> ScanReport:
    """As `--framework hipaa` selects: only the checks mapped to it, only its summary."""
    return replace(
        report,
        frameworks=("hipaa",),
        results=tuple(r for r in report.results if r.check.maps_to(("hipaa",))),
        summaries=tuple(s for s in report.summaries if s.framework == "hipaa"),
    )


def _assert_one_determination_per_assessed_control(
    report: ScanReport, result: dict[str, Any]
) -> None:
    """Per (selected framework, automated control with evaluations) exactly one finding, its
    state and reason the control's status; none for a control nothing evaluated."""
    by_target = Counter(f["target"]["target-id"] for f in result.get("findings", []))
    assert set(by_target.values()) <= {1}
    findings = {f["target"]["target-id"]: f for f in result.get("findings", [])}
    expected = set()
    for summary in report.summaries:
        assert summary.framework in report.frameworks
        for control in summary.controls:
            token = oscal.control_token(summary.framework, control.control_id)
            if control.tally.status == "not_assessed":
                assert token not in findings, token
                continue
            expected.add(token)
            finding = findings[token]
            target = finding["target"]
            status = target["status"]
            assert (status["state"], status["reason"]) == _DETERMINATIONS[control.tally.status]
            assert target["type"] == "objective-id"
            assert target["title"].startswith(f"{FRAMEWORK_NAMES[summary.framework]} ")
            assert control.control_id in target["title"]
            assert control.title in target["title"]
            assert _prop(finding, "framework") == summary.framework
            assert _prop(finding, "control") == control.control_id
            tally = control.tally
            assert [
                int(_prop(finding, name))
                for name in ("evaluations", "passed", "failed", "indeterminate")
            ] == [tally.evaluations, tally.passed, tally.failed, tally.indeterminate]
            assert _props(finding, "check-id") == list(control.check_ids)
    assert set(findings) == expected


def _identity(item: dict[str, Any]) -> tuple[str, ...]:
    return tuple(_prop(item, n) for n in ("check-id", "resource", "status", "fingerprint"))


def _assert_findings_observed_by_their_controls(report: ScanReport, result: dict[str, Any]) -> None:
    """Every finding of the report (failed, indeterminate, waived) is an observation and a
    risk related to the OSCAL finding of each of its controls in the selected frameworks;
    a determination relates exactly the observations (passes too) and risks of its checks."""
    observations = {o["uuid"]: o for o in result["observations"]}
    risks = {r["uuid"]: r for r in result["risks"]}
    expected: Counter[tuple[tuple[str, ...], str]] = Counter()
    for finding in report.findings:
        key = (
            finding.check.check_id,
            finding.resource,
            finding.status.value,
            finding_fingerprint(finding),
        )
        for framework in report.frameworks:
            for control in finding.check.controls.get(framework, ()):
                expected[key, oscal.control_token(framework, control)] += 1
    assert expected
    observed: Counter[tuple[tuple[str, ...], str]] = Counter()
    at_risk: Counter[tuple[tuple[str, ...], str]] = Counter()
    for finding in result["findings"]:
        token = finding["target"]["target-id"]
        checks = set(_props(finding, "check-id"))
        related = [observations[o["observation-uuid"]] for o in finding["related-observations"]]
        related_risks = [risks[r["risk-uuid"]] for r in finding.get("related-risks", [])]
        assert related == [o for o in observations.values() if _prop(o, "check-id") in checks]
        assert related_risks == [r for r in risks.values() if _prop(r, "check-id") in checks]
        for observation in related:
            if observation["types"] == ["finding"]:
                observed[_identity(observation), token] += 1
        for risk in related_risks:
            at_risk[_identity(risk), token] += 1
    assert observed == expected
    assert at_risk == expected


def test_oscal_finds_once_per_assessed_automated_control(
    report: ScanReport, result: dict[str, Any]
) -> None:
    _assert_one_determination_per_assessed_control(report, result)
    # Every framework gets its own determinations; the golden scan has both states, every
    # reason, and controls not assessed (hence without a finding).
    targets = {_prop(f, "framework") for f in result["findings"]}
    assert targets == set(report.frameworks)
    reasons = {
        (f["target"]["status"]["state"], f["target"]["status"]["reason"])
        for f in result["findings"]
    }
    assert reasons == set(_DETERMINATIONS.values())
    assert len(result["findings"]) == sum(s.assessed for s in report.summaries)
    assert any(c.tally.status == "not_assessed" for s in report.summaries for c in s.controls)
    # Determinations name the scan's tool as their origin.
    tool = result["local-definitions"]["assessment-assets"]["components"][0]["uuid"]
    assert all(f["origins"][0]["actors"][0]["actor-uuid"] == tool for f in result["findings"])


def test_oscal_relates_each_finding_to_the_determination_of_each_of_its_controls(
    report: ScanReport, result: dict[str, Any]
) -> None:
    assert {f.status for f in report.findings} == set(Status)  # every status covered
    _assert_findings_observed_by_their_controls(report, result)
    # The public database fails HIPAA's controls too, not only GDPR's first one.
    [rds] = [f for f in report.findings if f.check.check_id == "AWS-RDS-002"]
    findings = {f["target"]["target-id"]: f for f in result["findings"]}
    for framework, controls in rds.check.controls.items():
        for control in controls:
            status = findings[oscal.control_token(framework, control)]["target"]["status"]
            assert (status["state"], status["reason"]) == ("not-satisfied", "fail")


def test_oscal_risks_correspond_one_to_one_with_the_scan(
    report: ScanReport, result: dict[str, Any]
) -> None:
    risks = result["risks"]
    expected = Counter((f.check.check_id, f.resource, f.status.value) for f in report.findings)
    actual = Counter(
        (_prop(r, "check-id"), _prop(r, "resource"), _prop(r, "status")) for r in risks
    )
    assert actual == expected
    ordered = report.findings_by_severity()
    assert [_prop(r, "fingerprint") for r in risks] == [finding_fingerprint(f) for f in ordered]
    assert [int(_prop(r, "risk-score")) for r in risks] == [f.risk for f in ordered]
    observations = {o["uuid"]: o for o in result["observations"]}
    expected_status = {"fail": "open", "indeterminate": "investigating"}
    for risk in risks:
        [link] = risk["related-observations"]
        seen = observations[link["observation-uuid"]]
        assert seen["types"] == ["finding"]
        assert _identity(seen) == _identity(risk)
        assert risk["status"] == expected_status.get(_prop(risk, "status"), "deviation-approved")
    [waived] = [r for r in risks if _prop(r, "status") == "waived"]
    assert _prop(waived, "waiver-ticket") == WAIVER.ticket
    assert _prop(waived, "waiver-expires") == "2026-12-31"
    assert WAIVER.ticket in waived["statement"]
    assert WAIVER.approver in waived["statement"]
    assert waived["deadline"] == "2026-12-31T23:59:59Z"


def test_oscal_determinations_of_hand_built_controls() -> None:
    # One HIPAA control per case: failed, only indeterminate, failed only under a waiver,
    # passed, not assessed; and a manual one.
    fails, unknown, waived, passes, idle = (
        replace(rb.check(f"C-{n}"), controls={"hipaa": (f"9.{n}",)}) for n in range(1, 6)
    )
    waiver = Waiver("C-3", "*", "accepted", "o", "a", "T-9", date(2026, 12, 1), None, 0, "w")
    built = rb.report(
        {
            "C-1": ["arn:a", "arn:b"],
            "C-2": ["arn:a"],
            "C-3": ["arn:a", "arn:b"],
            "C-4": ["arn:b"],
            "C-5": [],
        },
        [
            rb.finding(fails, "arn:a"),
            rb.finding(unknown, "arn:a", Status.INDETERMINATE),
            replace(rb.finding(waived, "arn:a", Status.WAIVED), waiver=waiver),
        ],
        checks=(passes, idle),
    )
    catalogue = Catalogue("hipaa", "HIPAA", {f"9.{n}": f"title {n}" for n in range(1, 7)})
    built = replace(
        built,
        frameworks=("hipaa",),
        summaries=(summarize_framework("hipaa", list(built.results), catalogue),),
    )
    document = _oscal(built)
    _assert_valid(document)
    [result] = document["assessment-results"]["results"]
    _assert_one_determination_per_assessed_control(built, result)
    _assert_findings_observed_by_their_controls(built, result)
    by_target = {f["target"]["target-id"]: f for f in result["findings"]}
    assert {
        t: (f["target"]["status"]["state"], f["target"]["status"]["reason"])
        for t, f in by_target.items()
    } == {
        "hipaa-9.1": ("not-satisfied", "fail"),
        "hipaa-9.2": ("not-satisfied", "other"),
        # A waived failure is an accepted risk, not a pass: the control is not satisfied,
        # with the waiver's deviation-approved risk linked and remarked.
        "hipaa-9.3": ("not-satisfied", "fail"),
        "hipaa-9.4": ("satisfied", "pass"),
    }
    risks = {r["uuid"]: r for r in result["risks"]}
    accepted = by_target["hipaa-9.3"]
    [link] = accepted["related-risks"]
    assert risks[link["risk-uuid"]]["status"] == "deviation-approved"
    assert "waiver" in accepted["target"]["status"]["remarks"]
    assert _prop(accepted, "waived") == "1"
    assert "related-risks" not in by_target["hipaa-9.4"]
    assert not _props(by_target["hipaa-9.4"], "waived")
    assert "Indeterminate" in by_target["hipaa-9.2"]["target"]["status"]["remarks"]
    automated, manual = result["reviewed-controls"]["control-selections"]
    assert _prop(automated, "assessment") == "automated"
    assert [c["control-id"] for c in automated["include-controls"]] == [
        f"hipaa-9.{n}" for n in range(1, 6)
    ]
    assert "4 of 5 assessed" in automated["description"]
    assert _prop(manual, "assessment") == "manual"
    assert manual["include-controls"] == [{"control-id": "hipaa-9.6"}]
    assert "evidence" in manual["description"]


def _selections(result: dict[str, Any], assessment: str) -> dict[str, list[str]]:
    """Framework -> the control tokens of its automated or manual selection."""
    return {
        _prop(s, "framework"): [c["control-id"] for c in s["include-controls"]]
        for s in result["reviewed-controls"]["control-selections"]
        if _prop(s, "assessment") == assessment
    }


def test_oscal_reviews_the_automated_and_the_manual_controls_of_the_selected_frameworks(
    report: ScanReport, result: dict[str, Any]
) -> None:
    automated, manual = _selections(result, "automated"), _selections(result, "manual")
    assert list(automated) == list(manual) == list(report.frameworks)
    assert len(result["reviewed-controls"]["control-selections"]) == 2 * len(report.frameworks)
    for summary in report.summaries:
        framework = summary.framework
        assert summary.manual_controls
        assert automated[framework] == [
            oscal.control_token(framework, c.control_id) for c in summary.controls
        ]
        assert manual[framework] == [
            oscal.control_token(framework, c) for c, _ in summary.manual_controls
        ]
    assert "gdpr-art.32.1.a" in automated["gdpr"]
    assert "hipaa-164.312.a.2.iv" in automated["hipaa"]
    assert "iso27001-a.8.24" in automated["iso27001"]
    assert "iso27001-a.5.1" in manual["iso27001"]  # policies: no scan evidences them
    every_automated = {t for tokens in automated.values() for t in tokens}
    every_manual = {t for tokens in manual.values() for t in tokens}
    assert not every_automated & every_manual
    for finding in result["findings"]:
        assert finding["target"]["target-id"] in every_automated  # no finding on a manual one


def test_oscal_of_one_framework_reviews_and_targets_only_its_controls(report: ScanReport) -> None:
    hipaa = _hipaa_only(report)
    document = _oscal(hipaa)
    _assert_valid(document)
    [result] = document["assessment-results"]["results"]
    selections = result["reviewed-controls"]["control-selections"]
    assert {_prop(s, "framework") for s in selections} == {"hipaa"}
    assert {f["target"]["target-id"].split("-")[0] for f in result["findings"]} == {"hipaa"}
    assert {f["target"]["title"].split()[0] for f in result["findings"]} == {"HIPAA"}
    assert {_prop(f, "framework") for f in result["findings"]} == {"hipaa"}
    # Controls of unselected frameworks are listed nowhere.
    classes = {p.get("class") for o in result["observations"] for p in o["props"]}
    assert classes == {None, "hipaa"}
    _assert_one_determination_per_assessed_control(hipaa, result)
    _assert_findings_observed_by_their_controls(hipaa, result)
    # The same determinations as in the scan of every framework, failures among them.
    [everything] = _oscal(report)["assessment-results"]["results"]

    def states(res: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {
            f["target"]["target-id"]: f["target"]["status"]
            for f in res["findings"]
            if _prop(f, "framework") == "hipaa"
        }

    assert states(result) == states(everything)
    assert ("not-satisfied", "fail") in {(s["state"], s["reason"]) for s in states(result).values()}


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
        ("iso27001", "A.8.24", "iso27001-a.8.24"),
        ("iso27001", "A.5.23", "iso27001-a.5.23"),
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
    catalogue = Catalogue("gdpr", "GDPR", {"Art.5(1)(f)": " odd\n title ", "Art.9(2)": ""})
    report = replace(
        report,
        summaries=tuple(
            summarize_framework(f, list(report.results), catalogue if f == "gdpr" else None)
            for f in report.frameworks
        ),
    )
    document = _oscal(report)
    _assert_valid(document)
    [result] = document["assessment-results"]["results"]
    assert result["start"] == "2026-11-23T10:00:00Z"
    assert "eu-west-1" in result["remarks"]
    assert len({r["uuid"] for r in result["risks"]}) == 3
    [finding] = result["findings"]
    assert finding["target"]["target-id"] == "gdpr-art.5.1.f"
    assert finding["target"]["title"] == "GDPR Art.5(1)(f): odd title"
    assert len(finding["related-observations"]) == 4  # three findings, one pass (arn:c)
    assert len(finding["related-risks"]) == 3
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
    frameworks = json.loads((tmp_path / "opa-comply.json").read_text())["summary"]["frameworks"]
    assessed = sum(f["controls_assessed"] for f in frameworks.values())
    assert len(document["assessment-results"]["results"][0]["findings"]) == assessed
