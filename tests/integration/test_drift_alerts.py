"""`opa-comply drift` end to end: the real CLI and OPA, real HTTP and SMTP receivers on
loopback, a real SQLite store. Every alert arrives once; a repeated scan sends nothing;
a fix resolves the PagerDuty incident it opened; a killed run loses nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compliance_opa.alerts.webhook import verify_signature
from compliance_opa.domain.identity import dedup_key
from tests.conftest import (
    EXAMPLES,
    REPO,
    TEST_STATE_HOME,
    CliResult,
    kill_when,
    opa_binary,
    run_cli,
)
from tests.receivers import HttpReceiver, Reply, SmtpReceiver

SECRET = "webhook-secret-for-tests"
ROUTING_KEY = "R0UT1NGKEYFORTESTS000000000000000"
ORDERS = "arn:aws:rds:eu-west-1:123456789012:db:orders"
PATIENTS = "arn:aws:rds:eu-west-1:123456789012:db:patients"
HIGH = ("critical", "high")


@dataclass
class Estate:
    """A snapshot file the test changes between drift runs, and the run's config."""

    folder: Path
    document: dict[str, Any]
    config: Path
    state: Path
    env: dict[str, str]

    @property
    def snapshot(self) -> Path:
        return self.folder / "estate.json"

    def write(self) -> None:
        self.snapshot.write_text(json.dumps(self.document))

    def resource(self, address: str) -> dict[str, Any]:
        return next(r for r in self.document["resources"] if r["address"] == address)

    def drift(self, *extra: str | Path, env: dict[str, str] | None = None) -> CliResult:
        return run_cli(
            "drift", self.snapshot, "--config", self.config, "--state", self.state,
            "--format", "json", "--fail-on", "none", *extra,
            env={**self.env, **(env or {})},
        )  # fmt: skip

    def outbox(self) -> list[tuple[str, str, str, int]]:
        with sqlite3.connect(self.state) as db:
            return [
                (str(c), str(k), str(s), int(a))
                for c, k, s, a in db.execute(
                    "SELECT channel, kind, status, attempts FROM outbox ORDER BY seq"
                )
            ]


def make_estate(folder: Path, channels: dict[str, Any], rules: list[dict[str, Any]],
                delivery: dict[str, Any] | None = None) -> Estate:  # fmt: skip
    document = json.loads((EXAMPLES / "aws-production.json").read_text())
    for resource in document["resources"]:
        resource["owner"] = "payments" if resource["address"] == ORDERS else None
        resource["environment"] = "production"
    config = folder / "opa-comply.yaml"
    settings = {
        "drift": {"scope": "production"},
        "alerts": {
            "channels": channels,
            "rules": rules,
            "delivery": {"backoff_seconds": 0.2, "max_wait_seconds": 20, **(delivery or {})},
        },
    }
    config.write_text(yaml.safe_dump(settings))
    estate = Estate(folder, document, config, folder / "state.db", {})
    estate.write()
    return estate


def paging(tmp_path: Path, pagerduty: HttpReceiver, checks: list[str] | None = None) -> Estate:
    """An estate whose failing findings (of these checks) page through PagerDuty."""
    match = {"match": {"check": checks}} if checks else {}
    channel = {
        "type": "pagerduty",
        "routing_key_env": "PD_KEY",
        "url": f"{pagerduty.url}/v2/enqueue",
    }
    estate = make_estate(
        tmp_path,
        channels={"oncall": channel},
        rules=[{"name": "page", **match, "channels": ["oncall"]}],
    )
    estate.env = {"PD_KEY": ROUTING_KEY}
    return estate


def failing(result: CliResult, severities: tuple[str, ...] = ()) -> set[tuple[str, str]]:
    return {
        (f["check_id"], f["resource"])
        for f in result.json()["findings"]
        if f["status"] == "fail" and (not severities or f["severity"] in severities)
    }


def keys(pairs: set[tuple[str, str]], scope: str = "production") -> set[str]:
    return {dedup_key(scope, check, resource) for check, resource in pairs}


def test_two_drift_runs_alert_once_and_resolve_what_was_fixed(
    tmp_path: Path, pagerduty: HttpReceiver, webhook: HttpReceiver
) -> None:
    with HttpReceiver() as slack, SmtpReceiver("mailer", "smtp-pass") as smtp:
        estate = make_estate(
            tmp_path,
            channels={
                "oncall": {"type": "pagerduty", "routing_key_env": "PD_KEY",
                           "url": f"{pagerduty.url}/v2/enqueue", "timeout": 0.5},
                "chat": {"type": "slack", "url_env": "SLACK_URL"},
                "siem": {"type": "webhook", "url": f"{webhook.url}/hook", "secret_env": "HOOK_KEY"},
                "mail": {"type": "email", "host": smtp.host, "port": smtp.port,
                         "username": "mailer", "password_env": "SMTP_PW",
                         "ca_bundle": str(smtp.ca_path), "sender": "opa@example.com",
                         "to": ["secops@example.com"], "to_owner": True,
                         "owners": {"payments": "payments-team@example.com"}},
            },
            rules=[
                {"name": "page", "match": {"severity": list(HIGH)}, "channels": ["oncall"]},
                {"name": "everything", "channels": ["chat"]},
                {"name": "rds", "match": {"check": ["AWS-RDS-*"]}, "channels": ["siem"]},
                {"name": "personal data", "match": {"data_class": ["pii"]}, "channels": ["mail"]},
            ],
        )  # fmt: skip
        estate.env = {
            "PD_KEY": ROUTING_KEY,
            "SLACK_URL": f"{slack.url}/services/T000/B000/XXXX",
            "HOOK_KEY": SECRET,
            "SMTP_PW": "smtp-pass",
        }
        # PagerDuty has a bad minute: a 500, a request that times out (it arrives, the
        # answer does not), then a 429 asking for a second.
        pagerduty.script(500, "timeout", Reply(429, headers={"Retry-After": "1"}))

        first = estate.drift()
        assert first.code == 0, first.stderr
        paged = failing(first, HIGH)
        assert paged, "the example estate has high findings"
        triggers = [r.json for r in pagerduty.requests if r.json["event_action"] == "trigger"]
        assert {t["dedup_key"] for t in triggers} == keys(paged)
        # Every one once, plus the three that failed, sent again with the same dedup key.
        assert len(triggers) == len(paged) + 3
        assert len({t["dedup_key"] for t in triggers}) == len(paged)
        assert all(t["routing_key"] == ROUTING_KEY for t in triggers)
        assert "0 waiting to retry, 0 dead" in first.stderr

        # Slack: one batched message naming the findings.
        assert len(slack.requests) == 1
        text = json.dumps(slack.requests[0].json)
        assert f"{len(failing(first))} new findings" in text
        assert "orders" in text

        # Webhook: one signed request per RDS finding, each with its idempotency key.
        rds = {(c, r) for c, r in failing(first) if c.startswith("AWS-RDS-")}
        assert len(webhook.requests) == len(rds)
        for request in webhook.requests:
            stamp = request.headers["x-opa-comply-timestamp"]
            signature = request.headers["x-opa-comply-signature"]
            assert verify_signature(SECRET, stamp, request.body, signature)
            assert not verify_signature(SECRET, stamp, request.body + b" ", signature)
            assert request.headers["idempotency-key"] == request.json["idempotency_key"]
        assert {r.json["finding"]["dedup_key"] for r in webhook.requests} == keys(rds)

        # E-mail: the owner's team for orders, the fixed list for the rest of the PII.
        mails = smtp.messages
        assert {tuple(m.rcpt_tos) for m in mails} == {("payments-team@example.com",)}
        assert all(m.tls and m.login == "mailer" for m in mails)

        # The same scan again: nothing new is open, so nothing is sent.
        counts = (len(pagerduty.requests), len(slack.requests), len(webhook.requests), len(mails))
        second = estate.drift()
        assert second.code == 0, second.stderr
        assert second.json()["drift"]["new"] == []
        assert len(second.json()["drift"]["persisting"]) == len(second.json()["findings"])
        assert (len(pagerduty.requests), len(slack.requests), len(webhook.requests),
                len(smtp.messages)) == counts  # fmt: skip

        # Fix the orders database's encryption: its incidents resolve, with the same key.
        orders = estate.resource(ORDERS)
        orders["attributes"]["storage_encrypted"] = True
        orders["attributes"]["kms_key_id"] = "arn:aws:kms:eu-west-1:123456789012:key/1"
        estate.write()
        third = estate.drift()
        assert third.code == 0, third.stderr
        fixed = paged - failing(third, HIGH)
        assert fixed
        assert all(resource == ORDERS for _, resource in fixed)
        resolves = [r.json for r in pagerduty.requests if r.json["event_action"] == "resolve"]
        assert {r["dedup_key"] for r in resolves} == keys(fixed)
        assert len(resolves) == len(fixed)
        resolved = {(r["check_id"], r["resource"]) for r in third.json()["drift"]["resolved"]}
        assert fixed <= resolved
        hooks = [r.json for r in webhook.requests if r.json["event"] == "finding.resolved"]
        assert {h["finding"]["check_id"] for h in hooks} == {
            c for c, r in resolved if c.startswith("AWS-RDS-")
        }
        assert "resolved" in json.dumps(slack.requests[-1].json).lower()


def test_a_coverage_gap_resolves_nothing_and_sends_no_resolve(
    tmp_path: Path, pagerduty: HttpReceiver
) -> None:
    estate = paging(tmp_path, pagerduty)
    first = estate.drift()
    assert first.code == 0, first.stderr
    # The RDS part of the collection failed this time: the databases are missing from it.
    estate.document["resources"] = [
        r for r in estate.document["resources"] if r["type"] != "aws_db_instance"
    ]
    estate.document["sources"][0]["status"] = "failed"
    estate.write()
    second = estate.drift()
    assert second.code == 0, second.stderr
    drift = second.json()["drift"]
    assert drift["resolved"] == []
    assert {u["resource"] for u in drift["unverified"]} == {ORDERS, PATIENTS}
    assert not [r for r in pagerduty.requests if r.json["event_action"] == "resolve"]
    # And once the databases are collected again, still failing, nothing is re-sent.
    sent = len(pagerduty.requests)
    estate.document = json.loads((EXAMPLES / "aws-production.json").read_text())
    estate.write()
    third = estate.drift()
    assert third.code == 0, third.stderr
    assert len(pagerduty.requests) == sent


def test_dry_run_sends_and_records_nothing(tmp_path: Path, webhook: HttpReceiver) -> None:
    estate = make_estate(
        tmp_path,
        channels={"siem": {"type": "webhook", "url": f"{webhook.url}/h", "secret_env": "K"}},
        rules=[{"name": "all", "channels": ["siem"]}],
    )
    result = estate.drift("--dry-run")  # no secret needed to preview
    assert result.code == 0, result.stderr
    planned = [line for line in result.stderr.splitlines() if "would send trigger to siem" in line]
    assert len(planned) == len(failing(result))
    assert webhook.requests == []
    with sqlite3.connect(estate.state) as db:
        assert db.execute("SELECT COUNT(*) FROM scans").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM outbox").fetchone() == (0,)


def test_permanent_refusal_goes_to_dead_letters_and_retry_sends_it(
    tmp_path: Path, webhook: HttpReceiver
) -> None:
    estate = make_estate(
        tmp_path,
        channels={"siem": {"type": "webhook", "url": f"{webhook.url}/h", "secret_env": "K"}},
        rules=[{"name": "one", "match": {"check": ["AWS-RDS-001"]}, "channels": ["siem"]}],
    )
    estate.env = {"K": SECRET}
    webhook.script(Reply(400, body=b'{"error":"schema mismatch"}'))
    first = estate.drift()
    assert first.code == 0, first.stderr
    assert "HTTP 400" in first.stderr
    assert "schema mismatch" in first.stderr
    dead = run_cli(
        "alerts", "list", "--state", estate.state, "--status", "dead", "--format", "json"
    )
    assert dead.code == 0, dead.stderr
    rows = dead.json()
    assert len(rows) == len(webhook.requests) == 1
    assert rows[0]["check_id"] == "AWS-RDS-001"
    assert rows[0]["attempts"] == 1
    retry = run_cli(
        "alerts", "retry", "--state", estate.state, "--config", estate.config, env=estate.env
    )
    assert retry.code == 0, retry.stderr
    assert "1 requeued, 1 sent" in retry.stderr
    assert len(webhook.requests) == 2
    assert webhook.requests[0].body == webhook.requests[1].body  # the same alert, not a new one
    listed = run_cli("alerts", "list", "--state", estate.state, "--format", "json").json()
    assert [r["status"] for r in listed] == ["sent"]


def test_a_run_killed_before_delivery_loses_nothing(tmp_path: Path) -> None:
    with HttpReceiver() as down:
        closed = down.url  # a port nobody listens on once this receiver stops
    estate = make_estate(
        tmp_path,
        channels={"siem": {"type": "webhook", "url_env": "HOOK_URL", "secret_env": "K"}},
        rules=[{"name": "rds", "match": {"check": ["AWS-RDS-*"]}, "channels": ["siem"]}],
        # A short lease: the kill may land while a row is claimed (`sending`), and the next
        # run then waits for that lease to end before it sends the row itself.
        delivery={"backoff_seconds": 20, "max_wait_seconds": 120, "lease_seconds": 10},
    )
    estate.env = {"K": SECRET, "HOOK_URL": f"{closed}/hook"}
    command = [
        sys.executable, "-m", "compliance_opa", "drift", str(estate.snapshot), "--config",
        str(estate.config), "--state", str(estate.state), "--format", "json", "--fail-on", "none",
    ]  # fmt: skip
    env = {**os.environ, **estate.env, "OPA_BINARY": str(opa_binary()),
           "XDG_STATE_HOME": TEST_STATE_HOME}  # fmt: skip
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    # Once the scan is recorded and the first delivery attempt failed (the receiver is
    # down), the run sleeps before its retry: kill it there.
    kill_when(
        process,
        lambda: estate.state.exists() and any(a >= 1 for *_, a in _safe_outbox(estate)),
        "the drift run queued and tried its alerts",
    )
    queued = estate.outbox()
    assert queued
    assert all(status in ("pending", "sending") for _, _, status, _ in queued)

    with HttpReceiver() as webhook:
        # The next run (receiver up again) delivers what the killed one queued, once,
        # and queues nothing new for findings that are still open.
        run = estate.drift(
            env={"HOOK_URL": f"{webhook.url}/hook"},
        )
        assert run.code == 0, run.stderr
        rds = {(c, r) for c, r in failing(run) if c.startswith("AWS-RDS-")}
        got = [r.json["finding"]["dedup_key"] for r in webhook.requests]
        assert sorted(got) == sorted(keys(rds))  # each exactly once
        assert all(s == "sent" for _, _, s, _ in estate.outbox())
        assert len(estate.outbox()) == len(rds)


def _safe_outbox(estate: Estate) -> list[tuple[str, str, str, int]]:
    try:
        return estate.outbox()
    except sqlite3.OperationalError:  # not created yet, or locked by the run for a moment
        return []


def test_two_runs_at_once_alert_once(tmp_path: Path, webhook: HttpReceiver) -> None:
    estate = make_estate(
        tmp_path,
        channels={"siem": {"type": "webhook", "url": f"{webhook.url}/h", "secret_env": "K"}},
        rules=[{"name": "all", "channels": ["siem"]}],
    )
    estate.env = {"K": SECRET}
    command = [
        sys.executable, "-m", "compliance_opa", "drift", str(estate.snapshot), "--config",
        str(estate.config), "--state", str(estate.state), "--format", "json", "--fail-on", "none",
    ]  # fmt: skip
    env = {**os.environ, **estate.env, "OPA_BINARY": str(opa_binary()),
           "XDG_STATE_HOME": TEST_STATE_HOME}  # fmt: skip
    # Reports go to files: the runs of one scope take turns until each scan is complete,
    # so a run blocked writing to a pipe nobody reads yet would hold up the other.
    streams = [(tmp_path / f"out{n}", tmp_path / f"err{n}") for n in range(2)]
    runs = []
    for out, err in streams:
        with out.open("wb") as stdout, err.open("wb") as stderr:
            runs.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=stdout, stderr=stderr))
    for run in runs:
        run.wait(timeout=120)
    outputs = [(out.read_text(), err.read_text()) for out, err in streams]
    assert [run.returncode for run in runs] == [0, 0], [o[1] for o in outputs]
    expected = failing(CliResult(0, outputs[0][0], ""))
    got = [r.json["finding"]["dedup_key"] for r in webhook.requests]
    assert sorted(got) == sorted(keys(expected))
    with sqlite3.connect(estate.state) as db:
        assert db.execute("SELECT COUNT(*) FROM scans").fetchone() == (2,)
    # The second run compared with the first's scan (see app/record.py for the rule).
    reports = [json.loads(out) for out, _ in outputs]
    previous = [r["drift"]["previous_scan"] for r in reports]
    assert previous.count(None) == 1
    assert set(previous) - {None} <= {r["scan"]["id"] for r in reports}


def test_waiving_a_paged_finding_resolves_its_incident(
    tmp_path: Path, pagerduty: HttpReceiver
) -> None:
    estate = paging(tmp_path, pagerduty, ["AWS-RDS-001"])
    first = estate.drift()
    assert first.code == 0, first.stderr
    paged = {r.json["dedup_key"] for r in pagerduty.requests}
    assert paged == keys(failing(first) & {("AWS-RDS-001", ORDERS), ("AWS-RDS-001", PATIENTS)})
    waivers = tmp_path / "waivers.yaml"
    today = time.strftime("%Y-%m-%d", time.gmtime())
    waivers.write_text(yaml.safe_dump({"waivers": [{
        "check": "AWS-RDS-001", "resource": ORDERS, "reason": "migration in Q1",
        "owner": "payments", "approver": "ciso@example.com", "ticket": "SEC-1",
        "expires": today,
    }]}))  # fmt: skip
    second = estate.drift("--waivers", waivers)
    assert second.code == 0, second.stderr
    waived = [f for f in second.json()["findings"] if f["status"] == "waived"]
    assert [(f["check_id"], f["resource"]) for f in waived] == [("AWS-RDS-001", ORDERS)]
    assert waived[0]["waiver"]["ticket"] == "SEC-1"
    resolves = [r.json for r in pagerduty.requests if r.json["event_action"] == "resolve"]
    assert [r["dedup_key"] for r in resolves] == [dedup_key("production", "AWS-RDS-001", ORDERS)]


def test_an_invalid_waivers_file_is_one_line_exit_2(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - check: AWS-RDS-001\n    resource: '*'\n")
    result = run_cli("scan", EXAMPLES / "aws-production.json", "--waivers", waivers, "--no-state")
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert f"{waivers}: waivers[0]: missing required field" in result.stderr


def test_a_missing_channel_secret_fails_before_anything_is_recorded(tmp_path: Path) -> None:
    estate = make_estate(
        tmp_path,
        channels={"chat": {"type": "slack", "url_env": "NOT_SET_ANYWHERE"}},
        rules=[{"name": "all", "channels": ["chat"]}],
    )
    result = estate.drift()
    assert result.code == 2
    assert "alerts.channels.chat: environment variable NOT_SET_ANYWHERE is not set" in result.stderr
    assert not estate.state.exists()


def test_a_rule_naming_an_unknown_channel_is_refused(tmp_path: Path) -> None:
    estate = make_estate(
        tmp_path,
        channels={"chat": {"type": "slack", "url": "https://hooks.example.com/x"}},
        rules=[{"name": "all", "channels": ["pager"]}],
    )
    result = estate.drift()
    assert result.code == 2
    assert "alerts.rules[0].channels: no channel named 'pager' (channels: chat)" in result.stderr


def test_a_scan_in_between_does_not_swallow_a_resolve(
    tmp_path: Path, pagerduty: HttpReceiver
) -> None:
    estate = paging(tmp_path, pagerduty, ["AWS-RDS-001"])
    assert estate.drift().code == 0
    orders = estate.resource(ORDERS)
    orders["attributes"]["storage_encrypted"] = True
    estate.write()
    between = run_cli(
        "scan", estate.snapshot, "--state", estate.state, "--scope", "production",
        "--fail-on", "none", "--format", "json",
    )  # fmt: skip
    assert between.code == 0, between.stderr
    after = estate.drift()
    assert after.code == 0, after.stderr
    resolves = [
        r.json["dedup_key"] for r in pagerduty.requests if r.json["event_action"] == "resolve"
    ]
    assert resolves == [dedup_key("production", "AWS-RDS-001", ORDERS)]


def test_a_run_whose_report_cannot_be_written_stays_incomplete(tmp_path: Path) -> None:
    estate = make_estate(tmp_path, channels={}, rules=[])
    command = [
        sys.executable, "-m", "compliance_opa", "drift", str(estate.snapshot), "--config",
        str(estate.config), "--state", str(estate.state), "--format", "json",
    ]  # fmt: skip
    env = {**os.environ, "OPA_BINARY": str(opa_binary()), "XDG_STATE_HOME": TEST_STATE_HOME}
    with open("/dev/full", "w") as full:
        failed = subprocess.run(
            command, cwd=REPO, env=env, stdout=full, stderr=subprocess.PIPE, timeout=120,
            check=False,
        )  # fmt: skip
    assert failed.returncode == 3
    assert b"cannot write to standard output" in failed.stderr
    with sqlite3.connect(estate.state) as db:
        assert db.execute("SELECT complete FROM scans").fetchall() == [(0,)]
    # So the next run compares with the scan before it and still gates on the failures.
    again = estate.drift("--fail-on", "high")
    assert again.code == 1
    assert again.json()["drift"]["previous_scan"] is None


def test_alerts_retry_needs_the_channels(tmp_path: Path) -> None:
    result = run_cli("alerts", "retry", "--state", tmp_path / "state.db")
    assert result.code == 2
    assert "give --config with the alerts.channels" in result.stderr
