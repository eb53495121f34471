"""`opa-comply drift` over live sources: a moto account (moto in server mode on loopback)
and a real PostgreSQL server, collected by the real CLI, judged by the real OPA, alerts
delivered to real HTTP receivers on loopback. Between runs the test changes the account
through boto3 and the database through SQL, as an operator would fix them.

Each test resets moto and plants its own weaknesses, and keeps its own state file and
scope, so the tests do not depend on one another's order."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from compliance_opa.alerts.webhook import verify_signature
from compliance_opa.domain.identity import dedup_key
from tests.aws_support import BASE_ENV, Call, Fault, FaultProxy, MotoServer, serve_moto
from tests.conftest import REPO, TEST_STATE_HOME, CliResult, kill_when, opa_binary, run_cli
from tests.pg_support import Cluster, start_cluster
from tests.receivers import HttpReceiver, Request

SECRET = "webhook-secret-for-live-tests"
ROUTING_KEY = "R0UT1NGKEYFORLIVETESTS00000000000"
ACCOUNT = "123456789012"  # moto's account for the base credentials (no role assumed)
REGION = "eu-west-1"
SERVICES = ["s3", "ec2"]  # enough for the planted resources, and quick to collect
BUCKET = "drift-customer-exports"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
GROUP = "drift-open-postgres"
APP_PASSWORD = "app-pw-drift-41c9"
# The planted (and, in the first test, revoked) rule of the security group.
OPEN_POSTGRES: dict[str, Any] = {
    "IpProtocol": "tcp",
    "FromPort": 5432,
    "ToPort": 5432,
    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
}

PG_HBA = """\
local all postgres peer
host all all 127.0.0.1/32 scram-sha-256
"""
PG_SQL = f"""
CREATE ROLE app_reader LOGIN PASSWORD '{APP_PASSWORD}';
"""
SHOP_SQL = """
CREATE TABLE patients (id bigint PRIMARY KEY, first_name text, ssn text, diagnosis text);
"""
# Re-planted before every test: the first test fixes one of them.
PLANT_SQL = "GRANT SELECT ON patients TO PUBLIC;"
FIX_SQL = "REVOKE SELECT ON patients FROM PUBLIC;"

RUN_TIMEOUT = 120  # seconds for one drift run (collection, OPA, delivery)


# --- the live sources ------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@pytest.fixture(scope="module")
def postgres() -> Iterator[Cluster]:
    cluster = start_cluster("drift", {}, PG_HBA, tls=False)
    try:
        cluster.execute(PG_SQL)
        cluster.execute("CREATE DATABASE shop")
        cluster.execute(SHOP_SQL, database="shop")
        yield cluster
    finally:
        cluster.stop()


@dataclass
class Live:
    """The planted estate, its addresses, and how to run drift over it."""

    moto: MotoServer
    pg: Cluster
    group_id: str
    folder: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def group_arn(self) -> str:
        return f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{self.group_id}"

    @property
    def server(self) -> str:
        return f"postgresql://127.0.0.1:{self.pg.port}"

    @property
    def patients(self) -> str:
        return f"{self.server}/shop/public/patients"

    @property
    def app_reader(self) -> str:
        return f"{self.server}?role=app_reader"

    def client(self, service: str) -> Any:
        return aws_session().client(service, region_name=REGION, endpoint_url=self.moto.url)

    def configure(
        self,
        name: str,
        scope: str,
        collect: list[str],
        channels: dict[str, Any],
        rules: list[dict[str, Any]],
        delivery: dict[str, Any] | None = None,
    ) -> Config:
        config = self.folder / f"{name}.yaml"
        settings = {
            "drift": {"collect": collect, "scope": scope},
            "aws": {"endpoint_url": self.moto.url, "regions": [REGION], "services": SERVICES},
            "alerts": {
                "channels": channels,
                "rules": rules,
                "delivery": {"backoff_seconds": 0.2, "max_wait_seconds": 20, **(delivery or {})},
            },
        }
        config.write_text(yaml.safe_dump(settings))
        env = {
            **BASE_ENV,
            "OPA_COMPLY_POSTGRES_DSN": self.pg.dsn(),
            "PD_KEY": ROUTING_KEY,
            "HOOK_KEY": SECRET,
        }
        return Config(config, self.folder / f"{name}.db", scope, env)


@dataclass(frozen=True)
class Config:
    path: Path
    state: Path
    scope: str
    env: dict[str, str]

    def drift(self, *extra: str | Path, env: dict[str, str] | None = None) -> CliResult:
        result = run_cli(
            "drift", "--config", self.path, "--state", self.state,
            "--format", "json", "--fail-on", "none", *extra,
            env={**self.env, **(env or {})}, timeout=RUN_TIMEOUT,
        )  # fmt: skip
        assert result.code == 0, result.stderr
        return result

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "compliance_opa", "drift", "--config", str(self.path),
            "--state", str(self.state), "--format", "json", "--fail-on", "none",
        ]  # fmt: skip

    def outbox(self) -> list[tuple[str, str, str, str, int, str]]:
        with sqlite3.connect(self.state) as db:
            return [
                (str(c), str(k), str(d), str(s), int(a), str(i))
                for c, k, d, s, a, i in db.execute(
                    "SELECT channel, kind, dedup_key, status, attempts, scan_id"
                    " FROM outbox ORDER BY seq"
                )
            ]

    def scan_ids(self) -> list[str]:
        with sqlite3.connect(self.state) as db:
            return [str(s) for (s,) in db.execute("SELECT scan_id FROM scans ORDER BY seq")]


def aws_session() -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=BASE_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name=REGION,
    )


def provision_aws(endpoint: str) -> str:
    """An unencrypted bucket with personal data and no public access block, and a security
    group open to the internet on PostgreSQL's port. Returns the group's id."""
    session = aws_session()
    s3 = session.client("s3", region_name=REGION, endpoint_url=endpoint)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(
        Bucket=BUCKET,
        Tagging={"TagSet": [{"Key": "DataClassification", "Value": "pii"},
                            {"Key": "Owner", "Value": "data"}]},
    )  # fmt: skip
    ec2 = session.client("ec2", region_name=REGION, endpoint_url=endpoint)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    group = str(
        ec2.create_security_group(GroupName=GROUP, Description="open db", VpcId=vpc)["GroupId"]
    )
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[OPEN_POSTGRES])
    return group


@pytest.fixture
def live(moto: MotoServer, postgres: Cluster, tmp_path: Path) -> Live:
    moto.reset()
    group = provision_aws(moto.url)
    postgres.execute(PLANT_SQL, database="shop")
    postgres.execute("ALTER ROLE app_reader VALID UNTIL 'infinity'")
    return Live(moto, postgres, group, tmp_path)


# --- helpers ---------------------------------------------------------------------------


Pair = tuple[str, str]


def failing(result: CliResult) -> set[Pair]:
    return {
        (f["check_id"], f["resource"]) for f in result.json()["findings"] if f["status"] == "fail"
    }


def keys(pairs: set[Pair], scope: str) -> Counter[str]:
    """Dedup keys as a multiset: comparing with what arrived shows each arrived once."""
    return Counter(dedup_key(scope, check, resource) for check, resource in pairs)


def events(receiver: HttpReceiver, action: str) -> list[dict[str, Any]]:
    return [r.json for r in receiver.requests if r.json["event_action"] == action]


def hooks(receiver: HttpReceiver, event: str) -> list[Request]:
    return [r for r in receiver.requests if r.json["event"] == event]


def drifted(result: CliResult, part: str) -> set[Pair]:
    return {(d["check_id"], d["resource"]) for d in result.json()["drift"][part]}


def signed(request: Request) -> bool:
    stamp = request.headers["x-opa-comply-timestamp"]
    return verify_signature(SECRET, stamp, request.body, request.headers["x-opa-comply-signature"])


def _is_hooked(pair: Pair) -> bool:
    """The webhook rule below: the database findings, AWS and PostgreSQL."""
    return pair[0].startswith(("AWS-EC2-", "PG-PRIV-"))


# --- the tests -------------------------------------------------------------------------


def test_two_live_drift_runs_alert_once_and_resolve_what_was_fixed(
    live: Live, pagerduty: HttpReceiver, webhook: HttpReceiver
) -> None:
    config = live.configure(
        "resolve",
        scope="live",
        collect=["aws", "postgres"],
        channels={
            "oncall": {"type": "pagerduty", "routing_key_env": "PD_KEY",
                       "url": f"{pagerduty.url}/v2/enqueue"},
            "siem": {"type": "webhook", "url": f"{webhook.url}/hook", "secret_env": "HOOK_KEY"},
        },
        rules=[
            {"name": "page", "channels": ["oncall"]},
            {"name": "exposure", "match": {"check": ["AWS-EC2-*", "PG-PRIV-*"]},
             "channels": ["siem"]},
        ],
    )  # fmt: skip

    first = config.drift()
    report = first.json()
    opened = failing(first)
    planted = {
        ("AWS-S3-001", BUCKET_ARN),  # no public access block
        ("AWS-S3-002", BUCKET_ARN),  # no default encryption
        ("AWS-EC2-001", live.group_arn),  # PostgreSQL's port open to 0.0.0.0/0
        ("PG-PRIV-002", live.patients),  # personal data readable by PUBLIC
        ("PG-ROLE-002", live.app_reader),  # a login password that never expires
    }
    assert planted <= opened, sorted(planted - opened)
    assert report["drift"]["previous_scan"] is None
    assert drifted(first, "new") == {
        (f["check_id"], f["resource"]) for f in report["findings"]
    }  # every finding is new on the first run of the scope
    assert "0 waiting to retry, 0 dead" in first.stderr

    # PagerDuty: one trigger per failing finding, each exactly once, keyed by scope.
    triggers = events(pagerduty, "trigger")
    assert Counter(t["dedup_key"] for t in triggers) == keys(opened, "live")
    assert all(t["routing_key"] == ROUTING_KEY for t in triggers)
    assert events(pagerduty, "resolve") == []

    # Webhook: one signed request per matching finding, each once.
    exposed = {p for p in opened if _is_hooked(p)}
    assert ("AWS-EC2-001", live.group_arn) in exposed
    assert ("PG-PRIV-002", live.patients) in exposed
    assert len(webhook.requests) == len(exposed)
    assert all(signed(r) for r in webhook.requests)
    assert all(r.json["event"] == "finding.opened" for r in webhook.requests)
    assert Counter(r.json["finding"]["dedup_key"] for r in webhook.requests) == keys(
        exposed, "live"
    )

    # Fix one AWS weakness through the API and one PostgreSQL weakness through SQL.
    live.client("ec2").revoke_security_group_ingress(
        GroupId=live.group_id, IpPermissions=[OPEN_POSTGRES]
    )
    live.pg.execute(FIX_SQL, database="shop")
    sent = (len(pagerduty.requests), len(webhook.requests))

    second = config.drift()
    still = failing(second)
    fixed = opened - still
    assert fixed == {("AWS-EC2-001", live.group_arn), ("PG-PRIV-002", live.patients)}
    assert still <= opened  # nothing new failed
    assert drifted(second, "resolved") == fixed
    assert drifted(second, "unverified") == set()
    assert drifted(second, "new") == set()
    assert second.json()["drift"]["previous_scan"] == config.scan_ids()[0]

    # PagerDuty: a resolve for exactly the fixed findings, with their triggers' keys;
    # nothing re-sent for the findings that stay open.
    later = pagerduty.requests[sent[0] :]
    assert all(r.json["event_action"] == "resolve" for r in later)
    resolves = events(pagerduty, "resolve")
    assert Counter(r["dedup_key"] for r in resolves) == keys(fixed, "live")
    trigger_keys = {t["dedup_key"] for t in triggers}
    assert all(r["dedup_key"] in trigger_keys for r in resolves)
    assert len(events(pagerduty, "trigger")) == len(triggers)

    # Webhook: both fixed findings matched its rule, so both resolve there too.
    closed = hooks(webhook, "finding.resolved")
    assert len(webhook.requests) == sent[1] + len(fixed)
    assert all(signed(r) for r in closed)
    assert Counter(r.json["finding"]["dedup_key"] for r in closed) == keys(fixed, "live")

    # Every row of the outbox was delivered: the triggers of run 1, the resolves of run 2.
    rows = config.outbox()
    assert {r[3] for r in rows} == {"sent"}
    assert Counter(r[1] for r in rows) == {
        "trigger": len(opened) + len(exposed),
        "resolve": 2 * len(fixed),
    }

    # The same estate again: nothing opened, nothing closed, so nothing is sent.
    sent = (len(pagerduty.requests), len(webhook.requests))
    third = config.drift()
    assert failing(third) == still
    assert drifted(third, "resolved") == drifted(third, "new") == set()
    assert (len(pagerduty.requests), len(webhook.requests)) == sent
    assert len(config.outbox()) == len(rows)


def test_a_drift_run_killed_before_delivery_loses_nothing(live: Live) -> None:
    with HttpReceiver() as down:
        closed = down.url  # nobody listens on this port once the receiver stops
    config = live.configure(
        "killed",
        scope="live-killed",
        collect=["aws", "postgres"],
        channels={"siem": {"type": "webhook", "url_env": "HOOK_URL", "secret_env": "HOOK_KEY"}},
        rules=[{"name": "all", "channels": ["siem"]}],
        # The first retry comes 5 to 10 s after the failed attempt: the run sleeps then.
        delivery={"backoff_seconds": 10, "max_wait_seconds": 120, "lease_seconds": 5},
    )
    env = {**os.environ, **config.env, "HOOK_URL": f"{closed}/hook",
           "OPA_BINARY": str(opa_binary()), "XDG_STATE_HOME": TEST_STATE_HOME}  # fmt: skip
    process = subprocess.Popen(
        config.command(), cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    # Once the scan is recorded with its alerts and every alert has been tried once (and
    # failed: nobody listens), the run sleeps before retrying: kill it there.
    def tried() -> bool:
        rows = _safe_outbox(config)
        return bool(rows) and all(r[4] >= 1 and r[3] == "pending" for r in rows)

    kill_when(process, tried, "the drift run queued and tried its alerts", RUN_TIMEOUT)
    assert process.returncode == -signal.SIGKILL
    queued = config.outbox()
    [killed_scan] = config.scan_ids()
    assert {r[3] for r in queued} == {"pending"}
    assert {r[5] for r in queued} == {killed_scan}
    assert {r[1] for r in queued} == {"trigger"}
    queued_keys = Counter(r[2] for r in queued)
    assert max(queued_keys.values()) == 1
    # The planted findings are among what the killed run queued.
    for check, resource in (
        ("AWS-S3-001", BUCKET_ARN),
        ("AWS-EC2-001", live.group_arn),
        ("PG-PRIV-002", live.patients),
        ("PG-ROLE-002", live.app_reader),
    ):
        assert dedup_key("live-killed", check, resource) in queued_keys

    with HttpReceiver() as webhook:
        # The next run, receiver up, delivers what the killed one queued, each once, and
        # queues nothing new for findings that are still open.
        run = config.drift(env={"HOOK_URL": f"{webhook.url}/hook"})
        expected = keys(failing(run), "live-killed")
        got = Counter(r.json["finding"]["dedup_key"] for r in webhook.requests)
        assert got == queued_keys == expected
        assert all(signed(r) for r in webhook.requests)
        # They are the killed run's alerts (its scan id), not new ones from this run.
        assert {r.json["finding"]["scan_id"] for r in webhook.requests} == {killed_scan}
        assert {r.headers["idempotency-key"] for r in webhook.requests} == {
            f"{k}:trigger:{killed_scan}" for k in queued_keys
        }
    assert drifted(run, "new") == set()
    assert drifted(run, "resolved") == set()
    assert [r[3] for r in config.outbox()] == ["sent"] * len(queued)
    assert len(config.scan_ids()) == 2


def test_a_service_denied_on_the_next_run_resolves_nothing_in_it(
    live: Live, pagerduty: HttpReceiver
) -> None:
    config = live.configure(
        "partial",
        scope="live-partial",
        collect=["aws"],
        channels={"oncall": {"type": "pagerduty", "routing_key_env": "PD_KEY",
                             "url": f"{pagerduty.url}/v2/enqueue"}},
        rules=[{"name": "all", "channels": ["oncall"]}],
    )  # fmt: skip
    first = config.drift()
    opened = failing(first)
    bucket = {p for p in opened if p[1] == BUCKET_ARN}
    assert ("AWS-S3-001", BUCKET_ARN) in bucket
    assert ("AWS-EC2-001", live.group_arn) in opened
    assert Counter(t["dedup_key"] for t in events(pagerduty, "trigger")) == keys(
        opened, "live-partial"
    )
    sent = len(pagerduty.requests)

    # The bucket gets its public access block, but the next run may not read S3 at all.
    live.client("s3").put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )

    def deny_s3(call: Call) -> Fault | None:
        return Fault(403, "AccessDenied", "not allowed") if call.service == "s3" else None

    with FaultProxy(live.moto.url, deny_s3) as proxy:
        second = config.drift("--endpoint-url", proxy.url)
    assert any(c.service == "s3" for c in proxy.calls), "the run never asked for S3"
    collection = second.json()["summary"]["collection"]
    assert collection["complete"] is False
    assert [(s["scope"], s["status"]) for s in collection["incomplete_sources"]] == [
        (f"{ACCOUNT}/s3/global", "denied")
    ]
    drift = second.json()["drift"]
    assert drifted(second, "resolved") == set()
    assert drifted(second, "unverified") == bucket  # still open, not looked at again
    assert drifted(second, "new") == set()
    assert ("AWS-EC2-001", live.group_arn) in drifted(second, "persisting")
    assert all(u["status"] == "fail" for u in drift["unverified"])
    assert len(pagerduty.requests) == sent, "a coverage gap must send nothing"

    # S3 readable again: now the fix is seen, and exactly its incident resolves.
    third = config.drift()
    assert drifted(third, "resolved") == {("AWS-S3-001", BUCKET_ARN)}
    assert drifted(third, "unverified") == set()
    later = pagerduty.requests[sent:]
    assert [r.json["event_action"] for r in later] == ["resolve"]
    assert later[0].json["dedup_key"] == dedup_key("live-partial", "AWS-S3-001", BUCKET_ARN)


def _safe_outbox(config: Config) -> list[tuple[str, str, str, str, int, str]]:
    try:
        return config.outbox() if config.state.exists() else []
    except sqlite3.OperationalError:  # not created yet, or locked by the run for a moment
        return []
