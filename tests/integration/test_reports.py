"""Report formats against their published schemas, from a real scan."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
import xmlschema

from tests.conftest import COMPLIANT, REPO, VIOLATING, load_example, run_cli, write_json

SCHEMAS = REPO / "tests" / "schemas"


@cache
def _reports(tmp_root: str) -> dict[str, str]:
    out = Path(tmp_root)
    result = run_cli("scan", *VIOLATING, "--report-dir", out, "--fail-on", "none")
    assert result.code == 0, result.stderr
    return {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _reports(str(tmp_path_factory.mktemp("reports")))


def _sarif(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    return document


def test_sarif_validates_against_the_official_schema(reports: dict[str, str]) -> None:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(_sarif(reports["opa-comply.sarif"]))


def test_sarif_has_one_rule_per_check_and_levels_from_severity(reports: dict[str, str]) -> None:
    run = _sarif(reports["opa-comply.sarif"])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    checks = json.loads(reports["opa-comply.json"])["checks"]
    assert [r["id"] for r in rules] == [c["check_id"] for c in checks]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    assert {"AWS-EC2-001", "AWS-RDS-001", "AWS-RDS-002", "PG-SRV-001"} <= {r["id"] for r in rules}
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert by_rule["AWS-RDS-002"]["level"] == "error"  # critical
    assert rules[by_rule["AWS-RDS-002"]["ruleIndex"]]["id"] == "AWS-RDS-002"
    assert rules[by_rule["AWS-RDS-002"]["ruleIndex"]]["properties"]["security-severity"] == "9.5"
    location = by_rule["AWS-RDS-001"]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "examples/aws-production.json"
    )
    # The orders instance's address sits on line 12 of the example.
    assert location["physicalLocation"]["region"]["startLine"] == 12
    assert location["logicalLocations"][0]["fullyQualifiedName"].endswith(":db:orders")


def test_sarif_fingerprints_are_stable_across_scans(tmp_path: Path) -> None:
    def fingerprints(path: Path) -> dict[tuple[str, str], str]:
        result = run_cli("scan", path, "--format", "sarif", "--fail-on", "none")
        run = json.loads(result.stdout)["runs"][0]
        return {
            (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r[
                "partialFingerprints"
            ]["opaComplyFinding/v1"]
            for r in run["results"]
        }

    first = fingerprints(VIOLATING[0])
    # The same findings from a reordered snapshot with an extra finding.
    document = load_example(VIOLATING[0])
    document["resources"].reverse()
    document["resources"][0]["attributes"]["ingress"][0]["from_port"] = 3306
    document["resources"][0]["attributes"]["ingress"][0]["to_port"] = 3306
    second = fingerprints(write_json(tmp_path / "again.json", document))
    assert first.keys() <= second.keys()
    assert all(second[key] == value for key, value in first.items())
    assert len(set(second.values())) == len(second)


def test_junit_validates_against_the_ant_schema(reports: dict[str, str]) -> None:
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))
    schema.validate(reports["opa-comply.junit.xml"])


def test_junit_has_a_case_per_check_and_resource(reports: dict[str, str]) -> None:
    root = ElementTree.fromstring(reports["opa-comply.junit.xml"].encode())
    cases = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    report = json.loads(reports["opa-comply.json"])
    assert len(cases) == sum(c["resources_evaluated"] for c in report["checks"])
    assert len(set(cases)) == len(cases)
    failed = [
        (c.get("classname"), c.get("name"))
        for c in root.iter("testcase")
        if c.find("failure") is not None
    ]
    failing_pairs = {
        (f["check_id"], f["resource"]) for f in report["findings"] if f["status"] == "fail"
    }
    assert set(failed) == failing_pairs
    assert ("AWS-RDS-001", "arn:aws:rds:eu-west-1:123456789012:db:orders") in failed
    assert sum(int(s.get("failures", "0")) for s in root.iter("testsuite")) == len(failing_pairs)


def test_junit_stays_well_formed_with_control_characters(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    document["resources"][0]["address"] = "arn:aws:rds:eu-west-1:1:db:odd\x01name"
    document["resources"][0]["attributes"]["storage_encrypted"] = False
    path = write_json(tmp_path / "ctl.json", document)
    result = run_cli("scan", path, "--format", "junit", "--fail-on", "none")
    xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd")).validate(result.stdout)
    assert 'name="arn:aws:rds:eu-west-1:1:db:odd\\x01name"' in result.stdout


def test_sarif_indeterminate_results_are_reviews_with_level_none(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    document["resources"][0]["unknown"] = ["storage_encrypted"]
    path = write_json(tmp_path / "u.json", document)
    sarif = json.loads(run_cli("scan", path, "--format", "sarif").stdout)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    [result] = sarif["runs"][0]["results"]
    assert (result["kind"], result["level"]) == ("review", "none")


def test_sarif_uris_are_relative_and_encoded(tmp_path: Path) -> None:
    odd = REPO / "examples" / "compliant" / "tmp odd#name.json"
    document = load_example(COMPLIANT)
    document["resources"][0]["attributes"]["storage_encrypted"] = False
    write_json(odd, document)
    try:
        result = run_cli("scan", odd.resolve(), "--format", "sarif", "--fail-on", "none")
    finally:
        odd.unlink()
    location = json.loads(result.stdout)["runs"][0]["results"][0]["locations"][0]
    uri = location["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "examples/compliant/tmp%20odd%23name.json"


def test_junit_reports_indeterminate_as_skipped(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    document["resources"][0]["unknown"] = ["storage_encrypted"]
    result = run_cli("scan", write_json(tmp_path / "u.json", document), "--format", "junit")
    xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd")).validate(result.stdout)
    assert '<skipped message="indeterminate: aws_db_instance' in result.stdout


def test_json_report_carries_every_documented_field(reports: dict[str, str]) -> None:
    report = json.loads(reports["opa-comply.json"])
    assert report["tool"]["version"]
    assert report["opa"]["version"] == "1.22.2"
    assert report["opa"]["policy_digest"].startswith("sha256:")
    for framework in ("gdpr", "hipaa", "pci_dss", "soc2", "iso27001"):
        summary = report["summary"]["frameworks"][framework]
        assert 0 <= summary["compliance_rate"] <= 1
        assert summary["status"] == "non_compliant"
    assert set(report["summary"]["by_severity"]) == {"critical", "high", "medium", "low", "info"}
    fields = {
        "check_id",
        "title",
        "resource",
        "resource_type",
        "status",
        "severity",
        "controls",
        "message",
        "remediation",
    }
    assert all(fields <= set(f) for f in report["findings"])
    assert {f["status"] for f in report["findings"]} <= {"fail", "indeterminate", "waived"}


def test_markdown_report_lists_frameworks_and_findings(reports: dict[str, str]) -> None:
    text = reports["opa-comply.md"]
    pci = json.loads(reports["opa-comply.json"])["summary"]["frameworks"]["pci_dss"]
    rate = f"{pci['compliance_rate']:.0%}"
    row = (
        f"| PCI DSS v4.0 | non compliant | {rate} | **below** | {pci['controls_compliant']}/"
        f"{pci['controls_assessed']} | {pci['controls_non_compliant']} | "
        f"{pci['controls_indeterminate']} | {pci['controls_manual']} |"
    )
    assert row in text
    assert "| critical | AWS-EC2-001 |" in text  # after its risk column
    assert "**AWS-RDS-001 RDS storage not encrypted at rest**: Set storage_encrypted" in text


def test_markdown_escapes_table_pipes(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    document["resources"][0]["name"] = "billing|prod"
    document["resources"][0]["attributes"]["storage_encrypted"] = False
    result = run_cli("scan", write_json(tmp_path / "p.json", document), "--format", "markdown")
    assert 'aws_db_instance "billing\\|prod" stores data unencrypted' in result.stdout
