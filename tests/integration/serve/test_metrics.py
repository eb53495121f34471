"""`GET /metrics` of a real `opa-comply serve` over a store filled by real `opa-comply
drift` runs, parsed by Prometheus's own text parser: every figure equals the stored
report's, the outbox depth follows an alert channel that refuses, request counters move,
tokens are checked, and a store that breaks under the service answers store_up 0."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import COMPLIANT, EXAMPLES, run_cli
from tests.receivers import HttpReceiver
from tests.serve_support import RunningService, running_service

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
SEVERITIES = ("critical", "high", "medium", "low", "info")
ORDERS = EXAMPLES / "postgres-orders.json"
PRODUCTION = EXAMPLES / "aws-production.json"


def drift(state: Path, inventory: Path, scope: str, config: Path | None = None) -> None:
    extra = ("--config", str(config)) if config else ()
    result = run_cli(
        "drift", inventory, "--state", state, "--scope", scope, "--format", "json",
        "--fail-on", "none", "--quiet", *extra, env={"HOOK_KEY": "hook-secret-for-tests"},
    )  # fmt: skip
    assert result.code == 0, result.stderr


def stored(state: Path, scope: str) -> dict[str, Any]:
    """The latest complete scan of the scope, as the store keeps it (`opa-comply report`)."""
    result = run_cli("report", "--state", state, "--scope", scope, "--format", "json")
    assert result.code == 0, result.stderr
    document: dict[str, Any] = result.json()
    return document


def scrape(svc: RunningService, who: str = "reader") -> Samples:
    answer = requests.get(svc.url + "/metrics", headers=svc.auth(who), timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def validate(svc: RunningService, body: dict[str, Any]) -> int:
    answer = requests.post(
        svc.url + "/v1/validate", json=body, headers=svc.auth("validator"), timeout=30
    )
    return answer.status_code


@pytest.fixture
def refusing_hook() -> Iterator[HttpReceiver]:
    with HttpReceiver(default_status=400, default_body=b'{"error":"refused"}') as receiver:
        yield receiver


def test_metrics_are_the_stored_figures(tmp_path: Path, refusing_hook: HttpReceiver) -> None:
    state = tmp_path / "state.db"
    alerting = tmp_path / "alerts.yaml"
    channel = {"type": "webhook", "url": f"{refusing_hook.url}/hook", "secret_env": "HOOK_KEY"}
    alerting.write_text(
        yaml.safe_dump(
            {
                "alerts": {
                    "channels": {"siem": channel},
                    "rules": [{"name": "all", "channels": ["siem"]}],
                }
            }
        )
    )
    # production is scanned twice: only its latest complete scan counts.
    drift(state, COMPLIANT, "production")
    drift(state, PRODUCTION, "production", alerting)
    drift(state, ORDERS, "orders")
    drift(state, COMPLIANT, "hardened")
    assert refusing_hook.requests, "the alerts were offered to the channel"
    with running_service(tmp_path, state=str(state)) as svc:
        got = scrape(svc)
        scopes = ("production", "orders", "hardened")
        for scope in scopes:
            report = stored(state, scope)
            frameworks = report["summary"]["frameworks"]
            assert frameworks, scope
            for framework, summary in frameworks.items():
                labels = {"scope": scope, "framework": framework}
                assert (
                    value(got, "opa_comply_compliance_ratio", **labels)
                    == (summary["compliance_rate"])
                )
                assert (
                    value(got, "opa_comply_evaluation_pass_ratio", **labels)
                    == (summary["evaluations"]["compliance_rate"])
                )
                failing = dict.fromkeys(SEVERITIES, 0.0)
                for f in report["findings"]:
                    if f["status"] == "fail" and framework in f["controls"]:
                        failing[f["severity"]] += 1
                assert {
                    s: value(got, "opa_comply_failing_findings", **labels, severity=s)
                    for s in SEVERITIES
                } == failing, labels
            finished = datetime.fromisoformat(report["scan"]["finished_at"]).timestamp()
            assert value(
                got, "opa_comply_last_complete_scan_timestamp_seconds", scope=scope
            ) == pytest.approx(finished)
        production = stored(state, "production")
        assert production["summary"]["by_severity"]["critical"] > 0  # the violating example
        assert sum(
            v for (n, labels), v in got.items()
            if n == "opa_comply_failing_findings" and ("scope", "hardened") in labels
        ) == 0  # fmt: skip
        with sqlite3.connect(state) as db:
            depth = dict(db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status"))
        assert depth.get("dead", 0) > 0, depth  # the channel refused every alert
        for status in ("pending", "sending", "sent", "dead"):
            assert value(got, "opa_comply_alert_outbox", status=status) == depth.get(status, 0)
        assert value(got, "opa_comply_opa_up") == 1.0
        assert value(got, "opa_comply_opa_restarts_total") == 0.0
        assert value(got, "opa_comply_store_up") == 1.0

        # Request metrics move with validation requests: two judged, one refused.
        bucket = {"type": "aws_s3_bucket", "values": {"bucket": "b"}}
        assert validate(svc, {"terraform_resources": [bucket]}) == 200
        assert validate(svc, {"terraform_resources": [bucket, bucket]}) == 200
        assert validate(svc, {"no such field": 1}) == 422
        after = scrape(svc)
        ok, error = ({"endpoint": "validate", "outcome": o} for o in ("ok", "error"))
        name = "opa_comply_validation_requests_total"
        assert (value(after, name, **ok) or 0) - (value(got, name, **ok) or 0) == 2
        assert (value(after, name, **error) or 0) - (value(got, name, **error) or 0) == 1
        count = "opa_comply_validation_seconds_count"
        moved = (value(after, count, endpoint="validate") or 0) - (
            value(got, count, endpoint="validate") or 0
        )
        assert moved == 3
        assert "Traceback" not in svc.log_text()


def test_metrics_need_a_read_token(tmp_path: Path) -> None:
    with running_service(tmp_path) as svc:
        anonymous = requests.get(svc.url + "/metrics", timeout=10)
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "unauthorized"
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        wrong = requests.get(
            svc.url + "/metrics", headers={"Authorization": "Bearer nope-0000"}, timeout=10
        )
        assert wrong.status_code == 401
        validator = requests.get(svc.url + "/metrics", headers=svc.auth("validator"), timeout=10)
        assert validator.status_code == 403
        assert validator.json()["error"]["code"] == "forbidden"
        assert "opa_comply_" not in validator.text
        assert value(scrape(svc, "all"), "opa_comply_store_up") == 1.0


def test_a_store_broken_under_the_service_answers_store_up_zero(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    drift(state, ORDERS, "orders")
    with running_service(tmp_path, state=str(state)) as svc:
        healthy = scrape(svc)
        assert value(healthy, "opa_comply_store_up") == 1.0
        original = state.read_bytes()
        state.write_bytes(b"\x5a" * len(original))  # not a database any more
        for _ in range(4):  # worker threads with a connection open and without one
            broken = scrape(svc)
            assert value(broken, "opa_comply_store_up") == 0.0
            assert value(broken, "opa_comply_opa_up") == 1.0
            assert not [n for n, _ in broken if n.startswith("opa_comply_compliance")]
        state.write_bytes(original)
        assert scrape(svc) == healthy  # back as soon as the store is
        log = svc.log_text()
        assert "metrics: state store not read" in log
        assert "Traceback" not in log
