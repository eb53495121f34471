"""`opa-comply scan` end to end: real CLI process, real managed OPA sidecar."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import (
    COMPLIANT,
    EXAMPLES,
    VIOLATING,
    assert_one_line_error,
    load_example,
    run_cli,
    write_json,
)


def test_compliant_inventory_exits_0_with_a_full_json_report() -> None:
    result = run_cli("scan", COMPLIANT, "--format", "json")
    assert result.code == 0, result.stderr
    report = result.json()
    assert report["tool"]["name"] == "opa-comply"
    assert report["opa"]["version"] == "1.22.2"
    assert report["opa"]["policy_digest"].startswith("sha256:")
    assert report["findings"] == []
    for framework in ("gdpr", "hipaa", "pci_dss", "soc2"):
        summary = report["summary"]["frameworks"][framework]
        assert summary["status"] == "compliant"
        assert summary["compliance_rate"] == 1.0
    assert report["summary"]["evaluations"] == 6  # 5 resources, the RDS instance by 2 checks
    assert report["summary"]["by_severity"] == {
        "critical": 0,
        "high": 0,
        "medium": 0,
        "low": 0,
        "info": 0,
    }


def test_violating_inventory_fails_at_high_and_reports_every_finding() -> None:
    result = run_cli("scan", *VIOLATING, "--fail-on", "high", "--format", "json")
    assert result.code == 1, result.stderr
    report = result.json()
    found = {(f["check_id"], f["resource"]) for f in report["findings"]}
    assert found == {
        ("AWS-EC2-001", "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60001"),
        ("AWS-RDS-001", "arn:aws:rds:eu-west-1:123456789012:db:orders"),
        ("AWS-RDS-002", "arn:aws:rds:eu-west-1:123456789012:db:patients"),
        ("AWS-S3-001", "arn:aws:s3:::acme-invoices"),
        ("AWS-S3-001", "arn:aws:s3:::acme-static-site"),
        ("PG-HBA-001", "postgresql://db.internal:5432/hba/2"),
        ("PG-SRV-001", "postgresql://db.internal:5432"),
    }
    rds = next(f for f in report["findings"] if f["check_id"] == "AWS-RDS-001")
    assert rds == {
        "check_id": "AWS-RDS-001",
        "title": "RDS storage not encrypted at rest",
        "resource": "arn:aws:rds:eu-west-1:123456789012:db:orders",
        "resource_type": "aws_db_instance",
        "status": "fail",
        "severity": "high",
        "controls": {
            "gdpr": ["Art.32(1)(a)"],
            "hipaa": ["164.312(a)(2)(iv)"],
            "pci_dss": ["3.5.1"],
            "soc2": ["CC6.1"],
        },
        "message": 'aws_db_instance "orders" stores data unencrypted (storage_encrypted = false)',
        "remediation": rds["remediation"],
        "unresolved_paths": [],
    }
    assert rds["remediation"].startswith("Set storage_encrypted = true")
    assert report["summary"]["by_severity"] == {
        "critical": 3,
        "high": 4,
        "medium": 0,
        "low": 0,
        "info": 0,
    }
    gdpr = report["summary"]["frameworks"]["gdpr"]
    # 13 evaluations (6 checks over 11 resources), 7 failed.
    assert (gdpr["evaluations"], gdpr["passed"], gdpr["failed"]) == (13, 6, 7)
    assert gdpr["compliance_rate"] == round(6 / 13, 4)
    assert gdpr["status"] == "non_compliant"
    assert gdpr["controls"]["Art.32(1)(a)"]["checks"] == ["AWS-RDS-001", "PG-SRV-001"]


def test_fail_on_threshold_decides_the_exit_code(tmp_path: Path) -> None:
    # Only a high-severity finding (unencrypted RDS): fails at high, passes at critical.
    document = load_example(COMPLIANT)
    document["resources"][0]["attributes"]["storage_encrypted"] = False
    path = write_json(tmp_path / "one-high.json", document)
    assert run_cli("scan", path, "--fail-on", "critical", "--format", "json").code == 0
    assert run_cli("scan", path, "--fail-on", "high", "--format", "json").code == 1
    assert run_cli("scan", path, "--format", "json").code == 1  # default: low
    assert run_cli("scan", *VIOLATING, "--fail-on", "none", "--format", "json").code == 0


def test_indeterminate_is_reported_but_does_not_fail_the_gate(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    del document["resources"][0]["attributes"]["storage_encrypted"]
    document["resources"][0]["unknown"] = ["publicly_accessible"]
    path = write_json(tmp_path / "unknown.json", document)
    result = run_cli("scan", path, "--format", "json")
    assert result.code == 0, result.stderr
    report = result.json()
    statuses = {(f["check_id"], f["status"]) for f in report["findings"]}
    assert statuses == {("AWS-RDS-001", "indeterminate"), ("AWS-RDS-002", "indeterminate")}
    assert report["summary"]["frameworks"]["gdpr"]["status"] == "indeterminate"
    assert report["summary"]["indeterminate_by_severity"]["critical"] == 1


def test_framework_filter_limits_checks_and_summary() -> None:
    result = run_cli("scan", *VIOLATING, "--framework", "hipaa", "--format", "json")
    report = result.json()
    assert list(report["summary"]["frameworks"]) == ["hipaa"]
    assert all(list(f["controls"]) == ["hipaa"] for f in report["findings"])
    assert report["scan"]["frameworks"] == ["hipaa"]


def test_non_terminal_default_is_json_and_table_is_available() -> None:
    assert run_cli("scan", COMPLIANT).json()["findings"] == []
    table = run_cli("scan", *VIOLATING, "--format", "table", "--fail-on", "none")
    assert table.code == 0
    assert "Compliance by framework" in table.stdout
    assert "AWS-RDS-001" in table.stdout
    assert "PCI DSS v4.0" in table.stdout


def test_directory_input_scans_its_json_files(tmp_path: Path) -> None:
    for path in VIOLATING:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    result = run_cli("scan", tmp_path, "--format", "json", "--fail-on", "none")
    assert len(result.json()["scan"]["inputs"]) == 2


def test_output_and_report_dir_write_every_format(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "report.sarif"
    result = run_cli(
        "scan",
        *VIOLATING,
        "--format",
        "sarif",
        "--output",
        out,
        "--report-dir",
        tmp_path / "reports",
        "--fail-on",
        "none",
    )
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"
    names = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert names == ["opa-comply.json", "opa-comply.junit.xml", "opa-comply.md", "opa-comply.sarif"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_malformed_json_exits_2_naming_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": "1",\n  "resources": [,]}')
    result = run_cli("scan", path)
    assert_one_line_error(result, 2, str(path), "invalid JSON at line 2 column 17")


def test_schema_violation_exits_2_with_the_json_path(tmp_path: Path) -> None:
    document = load_example(EXAMPLES / "aws-production.json")
    document["resources"][2]["attributes"]["storage_encrypted"] = "yes"
    path = write_json(tmp_path / "invalid.json", document)
    result = run_cli("scan", path)
    assert_one_line_error(
        result,
        2,
        "schema violation at $.resources[2].attributes.storage_encrypted",
        "'yes' is not of type 'boolean'",
    )


def test_missing_file_exits_2() -> None:
    result = run_cli("scan", "examples/nope.json")
    assert_one_line_error(result, 2, "examples/nope.json: no such file")


def test_deeply_nested_document_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000)
    result = run_cli("scan", path)
    assert_one_line_error(result, 2, "nested deeper than 64 levels")


def test_moderately_nested_document_is_refused_before_opa(tmp_path: Path) -> None:
    # Parses fine in Python (depth 200) but is still far past any real inventory.
    document = load_example(COMPLIANT)
    nested: dict[str, object] = {}
    for _ in range(200):
        nested = {"x": nested}
    document["resources"][0]["attributes"]["extra"] = nested
    result = run_cli("scan", write_json(tmp_path / "nested.json", document))
    assert_one_line_error(result, 2, "nested deeper than 64 levels")


def test_oversized_input_exits_2(tmp_path: Path) -> None:
    result = run_cli("scan", COMPLIANT, "--max-input-bytes", "100")
    assert_one_line_error(result, 2, "over the input limit of 100 bytes")


def test_duplicate_address_across_inputs_exits_2(tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_bytes(COMPLIANT.read_bytes())
    result = run_cli("scan", COMPLIANT, copy)
    assert_one_line_error(result, 2, "also appears in")


def test_unreachable_opa_url_exits_3() -> None:
    result = run_cli("scan", COMPLIANT, "--opa-url", "http://127.0.0.1:9")
    assert_one_line_error(result, 3, "http://127.0.0.1:9", "cannot connect")


def test_opa_url_from_environment_is_used() -> None:
    result = run_cli("scan", COMPLIANT, env={"OPA_URL": "http://127.0.0.1:9"})
    assert_one_line_error(result, 3, "http://127.0.0.1:9")


def test_bad_opa_url_scheme_exits_2() -> None:
    result = run_cli("scan", COMPLIANT, "--opa-url", "127.0.0.1:8181")
    assert_one_line_error(result, 2, "expected an http:// or https:// URL")


def test_unwritable_output_exits_3_and_keeps_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_cli("scan", COMPLIANT, "--output", blocker / "report.json")
    assert_one_line_error(result, 3, "cannot write report")
    assert blocker.read_text() == "not a directory"


def test_version_command() -> None:
    result = run_cli("version")
    assert result.code == 0
    assert "OPA pinned: v1.22.2" in result.stdout
