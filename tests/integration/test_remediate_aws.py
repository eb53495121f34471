"""`opa-comply remediate` end to end on a moto account (server mode, loopback): a drift
scan records failing buckets, `remediate plan` proposes fixes against the buckets
collected again, the approval policy (the real OPA) decides, people approve, `apply`
writes with the remediation role's session, collects the bucket again and judges it;
`rollback` writes the before-state back. Every state is in the store and the ledger."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from compliance_opa.app import remediate
from compliance_opa.state.remediations import Proposal
from tests.aws_support import BASE_ENV, MotoServer, serve_moto
from tests.conftest import TEST_STATE_HOME, CliResult, assert_one_line_error, opa_binary, run_cli
from tests.ticket_doubles import JiraDouble

REGION = "eu-west-1"
ACCOUNT = "123456789012"
REMEDIATION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/opa-comply-remediator"
DEV = "rem-dev-scratch"  # unclassified, development: fixes are automatic
PROD = "rem-prod-exports"  # production with personal data: two approvers
MANUAL = "rem-manual-archive"  # tagged for manual fixes only: denied
RUN_TIMEOUT = 180


def arn(bucket: str) -> str:
    return f"arn:aws:s3:::{bucket}"


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@dataclass(frozen=True)
class Estate:
    moto: MotoServer
    config: Path
    state: Path
    ledger: Path
    env: dict[str, str]

    def s3(self) -> Any:
        session = boto3.Session(
            aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=BASE_ENV["AWS_SECRET_ACCESS_KEY"],
            region_name=REGION,
        )
        return session.client("s3", region_name=REGION, endpoint_url=self.moto.url)

    def cli(self, *args: str, expect: int | None = 0) -> CliResult:
        result = run_cli(
            *args, "--config", self.config, "--state", self.state,
            env=self.env, timeout=RUN_TIMEOUT,
        )  # fmt: skip
        if expect is not None:
            assert result.code == expect, result.stdout + result.stderr
        return result

    def drift(self) -> None:
        result = run_cli(
            "drift", "--config", self.config, "--state", self.state,
            "--format", "json", "--fail-on", "none",
            env=self.env, timeout=RUN_TIMEOUT,
        )  # fmt: skip
        assert result.code == 0, result.stderr

    def proposals(self) -> dict[str, dict[str, Any]]:
        listed = json.loads(self.cli("remediate", "list", "--format", "json").stdout)
        return {p["resource"]: p for p in listed}

    def events(self, proposal_id: str) -> list[tuple[str, str]]:
        with sqlite3.connect(self.state) as db:
            return [
                (str(state), str(actor))
                for state, actor in db.execute(
                    "SELECT state, actor FROM remediation_events WHERE proposal_id = ?"
                    " ORDER BY seq",
                    (proposal_id,),
                )
            ]

    def versioning(self, bucket: str) -> str | None:
        status = self.s3().get_bucket_versioning(Bucket=bucket).get("Status")
        return None if status is None else str(status)


def _bucket(s3: Any, name: str, tags: dict[str, str]) -> None:
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(
        Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
    )


def make_estate(
    moto: MotoServer, tmp_path: Path, extra: dict[str, Any], env: dict[str, str]
) -> Estate:
    moto.reset()
    config = tmp_path / "opa-comply.yaml"
    ledger = tmp_path / "evidence"
    config.write_text(
        yaml.safe_dump(
            {
                "drift": {"collect": ["aws"], "scope": "remediation-test"},
                "aws": {"endpoint_url": moto.url, "regions": [REGION], "services": ["s3"]},
                "evidence": {"store": str(ledger)},
                "remediation": {
                    "verify_wait_seconds": 0,  # moto applies at once
                    "aws": {
                        "role_arn": REMEDIATION_ROLE,
                        "endpoint_url": moto.url,
                        "region": REGION,
                    },
                },
                **extra,
            }
        )
    )
    made = Estate(moto, config, tmp_path / "state.db", ledger, {**BASE_ENV, **env})
    s3 = made.s3()
    _bucket(s3, DEV, {"Environment": "dev", "Owner": "platform"})
    _bucket(s3, PROD, {"Environment": "production", "DataClassification": "pii", "Owner": "data"})
    _bucket(s3, MANUAL, {"Environment": "dev", "opa-comply:remediation": "manual"})
    made.drift()
    return made


@pytest.fixture
def estate(moto: MotoServer, tmp_path: Path) -> Estate:
    return make_estate(moto, tmp_path, {}, {})


def test_plan_approve_apply_verify_and_roll_back(estate: Estate) -> None:
    planned = estate.cli(
        "remediate", "plan", "--check", "AWS-S3-004", "--requested-by", "alice"
    ).stdout
    assert "3 new proposal(s)" in planned
    proposals = estate.proposals()
    dev, prod, manual = proposals[arn(DEV)], proposals[arn(PROD)], proposals[arn(MANUAL)]
    # The policy: automatic off production, two people on production personal data,
    # never on a resource tagged for manual fixes.
    assert (dev["decision"], dev["state"]) == ("auto", "approved")
    assert (prod["decision"], prod["approvals_needed"], prod["state"]) == ("approve", 2, "proposed")
    assert prod["reason"] == "production change on classified data"
    assert (manual["decision"], manual["state"]) == ("deny", "denied")
    assert prod["change"]["current"] is None  # never versioned
    assert prod["change"]["proposed"] == "Enabled"
    assert prod["change"]["setting"]

    # A second plan of the same scan proposes nothing new.
    again = estate.cli("remediate", "plan", "--check", "AWS-S3-004", "--requested-by", "alice")
    assert "0 new proposal(s)" in again.stdout
    assert "3 already open" in again.stdout

    pid = prod["proposal_id"]
    self_approval = estate.cli("remediate", "approve", pid, "--by", "alice", expect=None)
    assert_one_line_error(self_approval, 2, "alice requested this fix and cannot approve it")
    assert "1 of 2" in estate.cli("remediate", "approve", pid, "--by", "bob").stdout
    twice = estate.cli("remediate", "approve", pid, "--by", "bob", expect=None)
    assert_one_line_error(twice, 2, "bob has already approved it")
    too_few = estate.cli("remediate", "apply", pid, expect=None)
    assert_one_line_error(too_few, 2, "only approved fixes are applied", "approvals: 1 of 2")
    denied = estate.cli("remediate", "approve", manual["proposal_id"], "--by", "bob", expect=None)
    assert_one_line_error(denied, 2, "denied by the approval policy")
    assert estate.versioning(PROD) is None  # nothing written without approval

    assert "approved" in estate.cli("remediate", "approve", pid, "--by", "carol").stdout
    dry = estate.cli("remediate", "apply", pid, "--dry-run").stdout
    assert "would set" in dry
    assert estate.versioning(PROD) is None

    applied = estate.cli("remediate", "apply", "--by", "dave")  # every approved proposal
    assert applied.stdout.count(": verified:") == 2, applied.stdout
    assert estate.versioning(PROD) == "Enabled"
    assert estate.versioning(DEV) == "Enabled"
    assert estate.versioning(MANUAL) is None
    assert [s for s, _ in estate.events(pid)] == [
        "proposed", "proposed", "approved", "applied", "verified",
    ]  # fmt: skip
    assert estate.events(dev["proposal_id"]) == [
        ("proposed", "alice"), ("approved", "approval-policy"),
        ("applied", "dave"), ("verified", "dave"),
    ]  # fmt: skip

    rolled = estate.cli("remediate", "rollback", pid, "--by", "erin")
    assert "rolled_back" in rolled.stdout
    # A bucket that was never versioned can only go back to Suspended.
    assert estate.versioning(PROD) == "Suspended"
    again_rolled = estate.cli("remediate", "rollback", pid, expect=None)
    assert_one_line_error(again_rolled, 2, "only an applied fix rolls back")

    shown = estate.cli("remediate", "show", pid).stdout
    for state in ("proposed", "approved", "applied", "verified", "rolled_back"):
        assert state in shown

    # Every state is in the evidence ledger, and the ledger verifies.
    records = [json.loads(p.read_text()) for p in sorted((estate.ledger / "records").iterdir())]
    kept = [r for r in records if r["scan_id"].startswith(f"remediation-{pid}-")]
    assert len(kept) == 6
    artifact = estate.ledger / "artifacts" / kept[-1]["scan_id"] / "remediation.json"
    last = json.loads(artifact.read_text())
    assert last["event"]["state"] == "rolled_back"
    assert last["proposal"]["check_id"] == "AWS-S3-004"
    verified = run_cli(
        "evidence", "verify", "--ledger", estate.ledger, "--state", estate.state,
        env=estate.env,
    )  # fmt: skip
    assert verified.code == 0, verified.stdout + verified.stderr


def test_a_fix_that_does_not_hold_is_rolled_back_automatically(
    estate: Estate, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file = yaml.safe_load(estate.config.read_text())
    settings_file["remediation"]["verify_wait_seconds"] = 6  # collected again once more
    estate.config.write_text(yaml.safe_dump(settings_file))
    s3 = estate.s3()
    s3.put_bucket_versioning(Bucket=DEV, VersioningConfiguration={"Status": "Suspended"})
    estate.drift()
    estate.cli("remediate", "plan", "--check", "AWS-S3-004", "--resource", arn(DEV))
    proposal = estate.proposals()[arn(DEV)]
    assert proposal["state"] == "approved"
    for name, value in {**BASE_ENV, "OPA_BINARY": str(opa_binary())}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_STATE_HOME", TEST_STATE_HOME)
    reverted: list[str] = []

    class DriftBack:
        def note(self, line: str) -> None:
            pass

        def applied(self, applied: Proposal) -> None:
            reverted.append(applied.proposal_id)
            s3.put_bucket_versioning(Bucket=DEV, VersioningConfiguration={"Status": "Suspended"})

    settings = remediate.Settings(config=estate.config, state=str(estate.state))
    outcomes = remediate.apply(
        [proposal["proposal_id"]], "ops-bot", settings, dict(os.environ), DriftBack()
    )
    assert reverted == [proposal["proposal_id"]]
    (outcome,) = outcomes
    assert not outcome.ok
    assert outcome.proposal.state == "failed"
    assert "verification failed: AWS-S3-004 still fails" in outcome.detail
    assert "rolled back to the before-state" in outcome.detail
    assert estate.versioning(DEV) == "Suspended"
    assert [s for s, _ in estate.events(proposal["proposal_id"])] == [
        "proposed", "approved", "applied", "rolled_back", "failed",
    ]  # fmt: skip


def test_remediation_needs_its_own_credentials(estate: Estate) -> None:
    settings = yaml.safe_load(estate.config.read_text())
    del settings["remediation"]
    estate.config.write_text(yaml.safe_dump(settings))
    result = estate.cli("remediate", "plan", "--check", "AWS-S3-004", expect=None)
    assert_one_line_error(result, 2, "remediation.aws: not configured", "never the collector's")
    assert estate.proposals() == {}


def test_the_whole_loop_from_ticket_to_closed_ticket(moto: MotoServer, tmp_path: Path) -> None:
    """A failing scan opens a Jira ticket; the fix is proposed, approved, applied and
    verified; the next drift scan sees the bucket fixed and closes the ticket."""
    with JiraDouble(email="bot@example.com", token="jira-token-for-loop") as jira:
        alerts = {
            "alerts": {
                "channels": {
                    "tickets": {
                        "type": "jira", "url": jira.url, "project": "SEC",
                        "email_env": "JIRA_EMAIL", "token_env": "JIRA_TOKEN", "timeout": 5,
                    }
                },
                "rules": [
                    {"name": "versioning", "match": {"check": ["AWS-S3-004"]},
                     "channels": ["tickets"]}
                ],
            }
        }  # fmt: skip
        env = {"JIRA_EMAIL": "bot@example.com", "JIRA_TOKEN": "jira-token-for-loop"}
        estate = make_estate(moto, tmp_path, alerts, env)
        opened = {i.summary: i for i in jira.issues if DEV in i.summary}
        assert len(opened) == 1
        (ticket,) = opened.values()
        assert ticket.open

        estate.cli(
            "remediate", "plan", "--check", "AWS-S3-004", "--resource", arn(DEV),
            "--requested-by", "alice",
        )  # fmt: skip
        proposal = estate.proposals()[arn(DEV)]
        assert proposal["state"] == "approved"  # automatic: dev, unclassified, medium
        estate.cli("remediate", "apply", proposal["proposal_id"], "--by", "ops-bot")
        assert estate.versioning(DEV) == "Enabled"

        estate.drift()
        assert not ticket.open
        assert ticket.transitions == ["Done"]
        assert [s for s, _ in estate.events(proposal["proposal_id"])][-1] == "verified"
