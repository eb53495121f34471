"""`opa-comply report`: any recorded scan rendered again, in any format, as the scan did;
the threshold verdict; `--publish` to S3 (moto over loopback) with working links."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
import yaml

from tests.aws_support import BASE_ENV, MotoServer, aws_env, serve_moto
from tests.conftest import EXAMPLES, run_cli

INPUTS = [EXAMPLES / "aws-production.json", EXAMPLES / "postgres-orders.json"]


def drift(state: Path, *extra: str | Path) -> Any:
    result = run_cli(
        "drift", *INPUTS, "--state", state, "--scope", "audit", "--format", "json",
        "--fail-on", "none", *extra,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return result.json()


def test_report_renders_a_recorded_scan_exactly_as_the_scan_did(tmp_path: Path) -> None:
    first = drift(tmp_path / "state.db", "--report-dir", tmp_path / "first")
    second = drift(tmp_path / "state.db")
    latest = run_cli("report", "--state", tmp_path / "state.db", "--format", "json")
    assert latest.code == 0, latest.stderr
    assert latest.json() == second
    scan_id = first["scan"]["id"]
    again = run_cli(
        "report", "--state", tmp_path / "state.db", "--scan", scan_id,
        "--report-dir", tmp_path / "again",
    )  # fmt: skip
    assert again.code == 0, again.stderr
    for written in sorted((tmp_path / "first").iterdir()):
        assert (tmp_path / "again" / written.name).read_text() == written.read_text(), written.name


def test_unknown_scans_are_usage_errors(tmp_path: Path) -> None:
    empty = run_cli("report", "--state", tmp_path / "state.db")
    assert empty.code == 2
    assert "--scan latest: no complete scan in the state store" in empty.stderr
    drift(tmp_path / "state.db")
    missing = run_cli("report", "--state", tmp_path / "state.db", "--scan", "nope")
    assert missing.code == 2
    assert (
        missing.stderr.strip()
        == "opa-comply: error: --scan nope: no such complete scan in the state store"
    )
    other = run_cli("report", "--state", tmp_path / "state.db", "--scope", "elsewhere")
    assert other.code == 2
    assert "no complete scan of scope 'elsewhere'" in other.stderr


def test_the_threshold_decides_each_frameworks_verdict(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    document = drift(state)
    assessment = document["assessment"]
    assert assessment["threshold"] == 0.95
    rates = {f: v["compliance_rate"] for f, v in assessment["frameworks"].items()}
    assert all(not v["meets_threshold"] for v in assessment["frameworks"].values())
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text(yaml.safe_dump({"report": {"threshold": min(rates.values())}}))
    judged = run_cli("report", "--state", state, "--config", lenient, "--format", "json").json()
    verdicts = judged["assessment"]["frameworks"]
    assert all(v["meets_threshold"] for v in verdicts.values())
    markdown = run_cli("report", "--state", state, "--config", lenient, "--format", "markdown")
    assert "| meets |" in markdown.stdout
    assert "## Remediation plan" in markdown.stdout
    plan = judged["assessment"]["remediation_plan"]
    assert [p["risk"] for p in plan] == sorted((p["risk"] for p in plan), reverse=True)
    assert judged["assessment"]["evidence"]["inputs"][0]["sha256"] == (
        hashlib.sha256(INPUTS[0].read_bytes()).hexdigest()
    )
    assert "HIPAA" in judged["assessment"]["retention"]


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


def test_publish_uploads_encrypted_reports_and_prints_working_links(
    tmp_path: Path, moto: MotoServer
) -> None:
    session = boto3.Session(
        aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=BASE_ENV["AWS_SECRET_ACCESS_KEY"],
    )
    s3 = session.client("s3", region_name="eu-west-1", endpoint_url=moto.url)
    s3.create_bucket(
        Bucket="audit-reports", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    key = session.client("kms", region_name="eu-west-1", endpoint_url=moto.url).create_key()
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "publish": {
                    "kms_key_id": key["KeyMetadata"]["KeyId"],
                    "expires_seconds": 3600,
                    "region": "eu-west-1",
                    "endpoint_url": moto.url,
                }
            }
        )
    )
    result = run_cli(
        "scan", *INPUTS, "--config", config, "--report-dir", tmp_path / "reports",
        "--publish", "s3://audit-reports/q4", "--fail-on", "none", "--format", "json",
        env=aws_env(),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    links = [
        line for line in result.stderr.splitlines() if line.startswith("opa-comply: published")
    ]
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert sorted(line.split()[2] for line in links) == written
    html = next(line for line in links if " opa-comply.html " in line)
    url = html.rsplit(" ", 1)[1]
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["3600"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == (tmp_path / "reports" / "opa-comply.html").read_bytes()
    key_name = urlsplit(url).path.split("/audit-reports/", 1)[-1].lstrip("/")
    head = s3.head_object(Bucket="audit-reports", Key=key_name)
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"].endswith(key["KeyMetadata"]["KeyId"])
    assert json.loads(result.stdout)["findings"]


def test_publish_refuses_links_longer_than_seven_days_before_scanning(tmp_path: Path) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(yaml.safe_dump({"publish": {"expires_seconds": 604801}}))
    result = run_cli(
        "scan", *INPUTS, "--config", config, "--report-dir", tmp_path / "r",
        "--publish", "s3://audit-reports/q4",
    )  # fmt: skip
    assert result.code == 2
    assert "604800" in result.stderr
    assert not (tmp_path / "r").exists()


def test_every_recorded_scan_leaves_a_signed_verified_ledger_record(tmp_path: Path) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        yaml.safe_dump({"evidence": {"store": "ledger", "hmac_key_env": "LEDGER_KEY"}})
    )
    key = {"LEDGER_KEY": "k" * 40}
    for _ in range(2):
        result = run_cli(
            "drift", *INPUTS, "--config", config, "--state", tmp_path / "state.db",
            "--scope", "audit", "--format", "json", "--fail-on", "none", env=key,
        )  # fmt: skip
        assert result.code == 0, result.stderr
    ledger = tmp_path / "ledger"
    scan_id = result.json()["scan"]["id"]
    kept = ledger / "artifacts" / scan_id / "opa-comply.json"
    assert json.loads(kept.read_text()) == result.json()  # the report, kept as evidence
    assert sorted(p.name for p in (ledger / "artifacts" / scan_id).iterdir()) == sorted(
        ["data-map.csv", "data-map.md", "opa-comply.csv", "opa-comply.html", "opa-comply.json",
         "opa-comply.junit.xml", "opa-comply.md", "opa-comply.oscal.json",
         "opa-comply.pr-comment.md", "opa-comply.sarif"]
    )  # fmt: skip
    verified = run_cli("evidence", "verify", "--config", config, env=key)
    assert verified.code == 0, verified.stdout + verified.stderr
    assert "ledger OK: 2 records, chain intact, 2 signatures verified" in verified.stdout
    record = ledger / "records" / "000001.json"
    record.chmod(0o600)
    record.write_text(record.read_text().replace('"scope":"audit"', '"scope":"other"'))
    tampered = run_cli("evidence", "verify", "--config", config, env=key)
    assert tampered.code == 1
    assert "record 1 (records/000001.json): contents do not match its record_hash" in (
        tampered.stdout
    )


def test_a_missing_ledger_key_stops_the_scan_before_any_work(tmp_path: Path) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(yaml.safe_dump({"evidence": {"hmac_key_env": "NOT_SET_ANYWHERE"}}))
    result = run_cli(
        "drift", *INPUTS, "--config", config, "--state", tmp_path / "state.db", "--scope", "a"
    )
    assert result.code == 2
    assert "NOT_SET_ANYWHERE" in result.stderr
    assert not (tmp_path / "state.db").exists()


def test_a_recorded_scan_still_gates_on_every_failure_and_reports_again_exactly(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state.db"
    runs = [
        run_cli(
            "scan",
            *INPUTS,
            "--state",
            state,
            "--fail-on",
            "high",
            "--format",
            "json",
            "--report-dir",
            tmp_path / f"run{i}",
        )
        for i in range(2)
    ]
    assert [r.code for r in runs] == [1, 1]  # history kept, but a scan is not a drift scan
    assert "drift" not in runs[1].json()
    scan_id = runs[1].json()["scan"]["id"]
    again = run_cli("report", "--state", state, "--scan", scan_id, "--report-dir", tmp_path / "a")
    assert again.code == 0, again.stderr
    for written in sorted((tmp_path / "run1").iterdir()):
        assert (tmp_path / "a" / written.name).read_bytes() == written.read_bytes(), written.name
