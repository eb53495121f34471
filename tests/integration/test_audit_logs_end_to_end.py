"""`opa-comply evidence audit-logs` end to end, as a user runs it: a PostgreSQL csvlog with
pgaudit lines and a signed CloudTrail trail in moto S3 (real HTTP on loopback) summarised
for a period into one snapshot, which `scan` judges and reports; then `drift` with the
same sources in its config summarises the period since its previous run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests import cloudtrail_support as ct
from tests.aws_support import MotoServer, aws_env, serve_moto
from tests.conftest import run_cli, write_json
from tests.unit.collectors.auditlog.test_postgres_logs import audit, csv_row, write_csv

BUCKET = "corp-trail-logs"
PREFIX = "org"
LITERAL = "secret-literal-e2e-5d1f"  # in an ALTER ROLE statement: must appear nowhere
WHEN = "2026-03-02 11:{m:02d}:00.000 UTC"  # inside the CloudTrail fixture's period


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@pytest.fixture(scope="module")
def trail_key(moto: MotoServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A signed trail uploaded to moto: (its key fingerprint, the public key file)."""
    s3 = ct.s3_with_bucket(moto.url, BUCKET)
    key: rsa.RSAPrivateKey = ct.new_key()
    ct.build_trail(BUCKET, PREFIX, key).upload(s3)
    pem = tmp_path_factory.mktemp("keys") / "trail-key.pem"
    pem.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return ct.fingerprint(key), pem


def _estate(folder: Path) -> tuple[Path, Path]:
    """A csvlog of the period and the `collect postgres` snapshot that classifies it."""
    rows = [
        csv_row(WHEN.format(m=1), "app", "orders", audit(1, "READ", "SELECT", "public.customers")),
        csv_row(WHEN.format(m=2), "app", "orders", audit(2, "WRITE", "UPDATE", "public.customers")),
        csv_row(WHEN.format(m=3), "app", "orders", audit(3, "READ", "SELECT", "public.items")),
        csv_row(
            WHEN.format(m=4),
            "dba",
            "orders",
            audit(4, "ROLE", "GRANT", statement="GRANT SELECT ON public.customers TO app"),
        ),
        csv_row(
            WHEN.format(m=5),
            "dba",
            "orders",
            audit(5, "ROLE", "ALTER ROLE", statement=f"ALTER ROLE app PASSWORD '{LITERAL}'"),
        ),
        *(
            csv_row(
                WHEN.format(m=10 + n),
                "app",
                "orders",
                'password authentication failed for user "app"',
                state="28P01",
                severity="FATAL",
                session=f"f{n}.1",
            )
            for n in range(6)
        ),
    ]
    log = folder / "postgresql-2026-03-02.csv"
    write_csv(log, rows)
    snapshot = write_json(
        folder / "postgres-snapshot.json",
        {
            "schema_version": "1",
            "snapshot_id": "pg",
            "collected_at": "2026-03-01T00:00:00Z",
            "sources": [{"kind": "postgresql", "scope": "db.internal:5432", "status": "complete"}],
            "resources": [
                _pg("postgresql_table", "customers", ["pii"],
                    {"database": "orders", "schema": "public", "name": "customers"}),
                _pg("postgresql_table", "items", [],
                    {"database": "orders", "schema": "public", "name": "items"}),
                _pg("postgresql_role", "app", [], {"rolname": "app", "can_login": True}),
                _pg("postgresql_server", "db", [], {"settings": {
                    "shared_preload_libraries": "pgaudit", "pgaudit.log": "read,write,role"}}),
            ],
        },
    )  # fmt: skip
    return log, snapshot


def _pg(kind: str, name: str, classes: list[str], attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"postgresql://db.internal:5432/{kind}/{name}",
        "type": kind,
        "provider": "postgresql",
        "account": None,
        "region": None,
        "name": name,
        "tags": {},
        "data_classes": classes,
        "attributes": attributes,
    }


def test_a_period_of_audit_logs_is_summarised_judged_and_reported(
    moto: MotoServer, trail_key: tuple[str, Path], tmp_path: Path
) -> None:
    fingerprint, pem = trail_key
    log, snapshot = _estate(tmp_path)
    summary = tmp_path / "summary.json"
    result = run_cli(
        "evidence", "audit-logs",
        "--from", "2026-03-02T10:00:00Z", "--to", "2026-03-02T14:00:00Z",
        "--postgres-log", log, "--postgres-server", "orders-db", "--classification", snapshot,
        "--cloudtrail", f"s3://{BUCKET}/{PREFIX}",
        "--cloudtrail-public-key", f"{fingerprint}={pem}",
        "--endpoint-url", moto.url, "--region", "eu-west-1",
        "--output", summary,
        env=aws_env(),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    document = json.loads(summary.read_text())
    assert {s["kind"] for s in document["sources"]} == {"audit_log"}
    assert {s["status"] for s in document["sources"]} == {"complete"}
    by_type = {r["type"]: r for r in document["resources"]}
    assert set(by_type) == {"postgresql_audit_summary", "aws_cloudtrail_summary"}
    postgres = by_type["postgresql_audit_summary"]["attributes"]
    assert postgres["pgaudit_configured"] is True  # from the snapshot's server settings
    assert postgres["total_operations"] == 5
    assert postgres["sensitive_operations"]["reads"] == 1
    assert postgres["sensitive_operations"]["writes"] == 1
    assert postgres["failed_logins_total"] == 6
    assert by_type["aws_cloudtrail_summary"]["attributes"]["signatures_unverified"] is False

    report_file = tmp_path / "report.json"
    scan = run_cli(
        "scan", summary, "--format", "json", "--output", report_file, "--fail-on", "none"
    )
    assert scan.code == 0, scan.stderr
    report = json.loads(report_file.read_text())
    failing = {f["check_id"] for f in report["findings"] if f["status"] == "fail"}
    # A GRANT on a classified table to a login role, six failed logins from one client,
    # and the fixture's StopLogging in the period.
    assert {"PG-AUD-001", "PG-AUD-003", "AWS-CTA-001"} <= failing
    assert "AWS-CTA-002" not in failing
    assert "AWS-CTA-003" not in failing
    sections = {a["kind"]: a for a in report["audit_activity"]}
    assert set(sections) == {"postgresql", "cloudtrail"}
    for text in (summary.read_text(), report_file.read_text(), result.stdout, scan.stdout):
        assert LITERAL not in text
        assert ct.SECRET not in text


def test_drift_summarises_the_period_since_its_previous_run(tmp_path: Path) -> None:
    log, snapshot = _estate(tmp_path)
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        "drift:\n  collect: [audit_logs]\n  scope: audit-db\n"
        f"audit_logs:\n  period_days: 300\n  postgres:\n    logs: [{log.name}]\n"
        f"    server: orders-db\n    classification: {snapshot.name}\n"
    )
    state = f"sqlite:///{tmp_path / 'state.db'}"
    runs = []
    for _ in range(2):
        report_file = tmp_path / "drift.json"
        result = run_cli(
            "drift", "--config", config, "--state", state, "--format", "json",
            "--output", report_file, "--fail-on", "none", "--quiet",
        )  # fmt: skip
        assert result.code == 0, result.stderr
        report = json.loads(report_file.read_text())
        [section] = report["audit_activity"]
        runs.append((section["period"]["start"], report["scan"]["started_at"]))
    (first_start, first_run), (second_start, _) = runs
    # The first run reads period_days back; the second from the first run's start on.
    assert first_start < "2026-03-02"
    assert second_start[:19] == first_run[:19]


def test_the_config_names_the_sensitive_events(
    moto: MotoServer, trail_key: tuple[str, Path], tmp_path: Path
) -> None:
    fingerprint, pem = trail_key
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        "audit_logs:\n  cloudtrail:\n"
        f"    locations: [s3://{BUCKET}/{PREFIX}]\n    endpoint_url: {moto.url}\n"
        f"    region: eu-west-1\n    public_keys: {{{fingerprint}: {pem}}}\n"
        "    sensitive_events: {stops: [StopLogging]}\n"
    )
    summary = tmp_path / "summary.json"
    result = run_cli(
        "evidence", "audit-logs", "--config", config, "--output", summary,
        "--from", "2026-03-02T10:00:00Z", "--to", "2026-03-02T14:00:00Z",
        env=aws_env(),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    [trail] = json.loads(summary.read_text())["resources"]
    categories = trail["attributes"]["sensitive_events"]
    assert set(categories) == {"stops"}
    assert categories["stops"]["by_event_name"] == {"StopLogging": 1}
