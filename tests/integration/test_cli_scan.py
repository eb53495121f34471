"""`opa-comply scan` end to end: real CLI process, real managed OPA sidecar."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from compliance_opa.domain.identity import fingerprint
from tests.conftest import (
    COMPLIANT,
    EXAMPLES,
    VIOLATING,
    assert_one_line_error,
    load_example,
    opa_binary,
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
    for framework in ("gdpr", "hipaa", "pci_dss", "soc2", "iso27001"):
        summary = report["summary"]["frameworks"][framework]
        assert summary["status"] == "compliant"
        assert summary["compliance_rate"] == 1.0
    assert report["summary"]["evaluations"] == report["summary"]["passed"] > 0
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
    # The library grows; these findings of the first checks must stay.
    assert found >= {
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
        # A hash of check, resource and status: the same in every run.
        "fingerprint": fingerprint(
            "AWS-RDS-001", "arn:aws:rds:eu-west-1:123456789012:db:orders", "fail"
        ),
        "title": "RDS storage not encrypted at rest",
        "resource": "arn:aws:rds:eu-west-1:123456789012:db:orders",
        "resource_type": "aws_db_instance",
        "status": "fail",
        "severity": "high",
        "risk": 65,  # high 45 + pci/pii 20; no environment given: as production
        "controls": {
            "gdpr": ["Art.32(1)(a)"],
            "hipaa": ["164.312(a)(2)(iv)"],
            "pci_dss": ["3.5.1"],
            "soc2": ["CC6.1"],
            "iso27001": ["A.8.24"],
        },
        "message": 'aws_db_instance "orders" stores data unencrypted (storage_encrypted = false)',
        "remediation": rds["remediation"],
        "suggestion": rds["suggestion"],
        "unresolved_paths": [],
    }
    assert rds["remediation"].startswith("Set storage_encrypted = true")
    assert rds["suggestion"]["kind"] == "terraform"
    assert "storage_encrypted" in rds["suggestion"]["text"]
    failed = [f for f in report["findings"] if f["status"] == "fail"]
    by_severity = report["summary"]["by_severity"]
    assert sum(by_severity.values()) == len(failed)
    for severity in ("critical", "high", "medium", "low", "info"):
        assert by_severity[severity] == sum(1 for f in failed if f["severity"] == severity)
    gdpr = report["summary"]["frameworks"]["gdpr"]
    assert gdpr["status"] == "non_compliant"
    encryption = gdpr["controls"]["Art.32(1)(a)"]
    assert {"AWS-RDS-001", "PG-SRV-001"} <= set(encryption["checks"])
    assert encryption["status"] == "non_compliant"
    # The rate counts assessed automated controls, compliant ones on top.
    statuses = [c["status"] for c in gdpr["controls"].values()]
    assessed = [s for s in statuses if s != "not_assessed"]
    assert gdpr["controls_assessed"] == len(assessed)
    assert gdpr["compliance_rate"] == round(assessed.count("compliant") / len(assessed), 4)
    assert gdpr["controls_automated"] == len(statuses)


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
    # Wide enough for the framework names on one line (rich wraps a cell at 80 columns).
    table = run_cli(
        "scan", *VIOLATING, "--format", "table", "--fail-on", "none", env={"COLUMNS": "120"}
    )
    assert table.code == 0
    assert "Compliance by framework" in table.stdout
    assert "AWS-RDS-001" in table.stdout
    assert "PCI DSS v4.0" in table.stdout


def test_the_table_draws_ascii_boxes_when_standard_output_is_not_utf8() -> None:
    table = run_cli("scan", COMPLIANT, "--format", "table", env={"PYTHONIOENCODING": "ascii"})
    assert table.code == 0, table.stderr
    assert "Compliance by framework" in table.stdout
    assert table.stdout.isascii()
    assert "+------" in table.stdout


def test_a_narrow_ascii_table_cuts_cells_with_dots_and_escapes_what_ascii_cannot_hold(
    tmp_path: Path,
) -> None:
    snapshot = load_example(COMPLIANT)
    snapshot["resources"][0]["name"] = "caf\u00e9-\u00fcber"
    snapshot["resources"][0]["attributes"]["storage_encrypted"] = False
    path = write_json(tmp_path / "accented.json", snapshot)
    for columns in ("60", "250"):
        env = {"PYTHONIOENCODING": "ascii", "COLUMNS": columns}
        table = run_cli("scan", path, "--format", "table", "--fail-on", "none", env=env)
        assert table.code == 0, table.stderr  # no encoding error
        assert table.stdout.isascii()
        if columns == "60":
            assert "..." in table.stdout  # rich's ellipsis, for a cell cut to fit
        else:
            assert '"caf\\xe9-\\xfcber"' in table.stdout  # the name, escaped


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
    assert names == [
        "data-map.csv",
        "data-map.md",
        "opa-comply.csv",
        "opa-comply.html",
        "opa-comply.json",
        "opa-comply.junit.xml",
        "opa-comply.md",
        "opa-comply.oscal.json",
        "opa-comply.pr-comment.md",
        "opa-comply.sarif",
    ]
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


def test_output_under_a_file_exits_2_before_scanning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_cli("scan", COMPLIANT, "--output", blocker / "report.json")
    assert_one_line_error(result, 2, "--output", "is not a directory")
    assert blocker.read_text() == "not a directory"


def test_output_that_is_a_directory_exits_2(tmp_path: Path) -> None:
    result = run_cli("scan", COMPLIANT, "--output", tmp_path)
    assert_one_line_error(result, 2, "exists and is not a regular file")


def test_report_dir_that_is_a_file_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "reports"
    target.write_text("x")
    result = run_cli("scan", COMPLIANT, "--report-dir", target)
    assert_one_line_error(result, 2, "--report-dir", "is not a directory")


def test_reports_get_the_usual_file_mode(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert run_cli("scan", COMPLIANT, "--output", out).code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_version_command() -> None:
    result = run_cli("version")
    assert result.code == 0
    assert "OPA pinned: v1.22.2" in result.stdout


def test_inventory_text_is_never_rich_markup(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    document["resources"][0]["name"] = "db[/][red]x"
    document["resources"][0]["attributes"]["storage_encrypted"] = False
    path = write_json(tmp_path / "markup.json", document)
    result = run_cli("scan", path, "--format", "table", "--fail-on", "none", env={"COLUMNS": "300"})
    assert result.code == 0, result.stderr
    assert 'aws_db_instance "db[/][red]x" stores data unencrypted' in result.stdout


def test_control_characters_in_input_keep_the_error_on_one_line(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    document["resources"][0]["tags"] = {"bad\nkey": 1}
    result = run_cli("scan", write_json(tmp_path / "ctl.json", document))
    assert_one_line_error(result, 2, "schema violation at $.resources[0].tags['bad\\nkey']")


def test_lone_surrogate_is_refused_with_its_path(tmp_path: Path) -> None:
    text = COMPLIANT.read_text().replace('"billing"', '"bill\\ud800ing"', 1)
    path = tmp_path / "surrogate.json"
    path.write_text(text)
    result = run_cli("scan", path)
    assert_one_line_error(result, 2, "string at $.resources[0].name holds a lone surrogate")


def test_unwritable_standard_output_exits_3(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "compliance_opa", "scan", str(COMPLIANT), "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "OPA_BINARY": str(opa_binary())},
            timeout=120,
            check=False,
        )
    assert completed.returncode == 3
    assert completed.stderr.strip() == (
        "opa-comply: error: cannot write to standard output: No space left on device"
    )


def test_incomplete_collection_is_visible_in_every_report(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    document["sources"].append(
        {
            "kind": "aws",
            "scope": "123456789012/us-east-1/rds",
            "status": "denied",
            "detail": "AccessDenied on DescribeDBInstances",
        }
    )
    path = write_json(tmp_path / "partial.json", document)
    report = run_cli("scan", path, "--format", "json").json()
    assert report["summary"]["collection"] == {
        "complete": False,
        "incomplete_sources": [
            {
                "input_path": str(path),
                "kind": "aws",
                "scope": "123456789012/us-east-1/rds",
                "status": "denied",
                "detail": "AccessDenied on DescribeDBInstances",
            }
        ],
    }
    table = run_cli("scan", path, "--format", "table").stdout.replace("\n", " ")
    assert "Incomplete collection: aws 123456789012/us-east-1/rds was denied" in table
    markdown = run_cli("scan", path, "--format", "markdown").stdout
    assert "**Incomplete collection**" in markdown
    sarif = json.loads(run_cli("scan", path, "--format", "sarif").stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["incomplete-collection"]
    complete = run_cli("scan", COMPLIANT, "--format", "json").json()
    assert complete["summary"]["collection"] == {"complete": True, "incomplete_sources": []}


def test_repeated_framework_is_counted_once() -> None:
    result = run_cli("scan", COMPLIANT, "--framework", "gdpr", "--framework", "gdpr")
    assert list(result.json()["summary"]["frameworks"]) == ["gdpr"]
    assert result.json()["scan"]["frameworks"] == ["gdpr"]


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://", "no host"),
        ("http://[::1", "Invalid IPv6 URL"),
        ("http://127.0.0.1:99999", "Port out of range"),
        ("http://127.0.0.1:8181?x=1", "must not carry a query or fragment"),
        ("ftp://127.0.0.1", "expected an http:// or https:// URL"),
    ],
)
def test_unusable_opa_url_is_bad_usage(url: str, fragment: str) -> None:
    assert_one_line_error(run_cli("scan", COMPLIANT, "--opa-url", url), 2, fragment)


def test_opa_url_scheme_is_case_insensitive() -> None:
    assert_one_line_error(
        run_cli("scan", COMPLIANT, "--opa-url", "HTTP://127.0.0.1:9"), 3, "cannot connect"
    )


def test_credentials_in_the_opa_url_are_never_shown() -> None:
    result = run_cli("scan", COMPLIANT, "--opa-url", "http://user:s3cret@127.0.0.1:9")
    assert_one_line_error(result, 3, "http://***@127.0.0.1:9")
    assert "s3cret" not in result.stderr


def test_sidecar_only_and_remote_only_options_are_not_mixed(tmp_path: Path) -> None:
    both = run_cli("scan", COMPLIANT, "--opa-url", "http://127.0.0.1:9", "--policies", "policies")
    assert_one_line_error(both, 2, "--policies applies to the managed sidecar")
    missing = run_cli("scan", COMPLIANT, "--policies", tmp_path / "none")
    assert_one_line_error(missing, 2, "not a directory")
    token_only = run_cli("scan", COMPLIANT, env={"OPA_TOKEN": "abc"})
    assert_one_line_error(token_only, 2, "apply to a remote OPA")


def test_a_token_with_a_bad_character_is_refused_without_echoing_it() -> None:
    env = {"OPA_TOKEN": "sekr3t\nmore", "OPA_URL": "http://127.0.0.1:9"}
    result = run_cli("scan", COMPLIANT, env=env)
    assert_one_line_error(result, 2, "OPA_TOKEN holds a character an HTTP header cannot carry")
    assert "sekr3t" not in result.stderr
