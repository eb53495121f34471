"""The AWS fixers against moto in server mode over loopback, judged by the real OPA.

For each case: the resource fails its check as collected; read() gives its value; writing
desired() makes the check pass with no other check newly failing on the resource; writing
the value read before brings the failure (and the value) back. The calls made must be
among the fixer's declared IAM actions, and together use every declared action.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError

from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.errors import InputError
from remediators.aws import FIXERS, policy_actions
from remediators.aws.clients import AwsRemediationOptions, RemediationClients
from tests.aws_scan import base_credentials
from tests.aws_support import Fault, FaultProxy, MotoServer, serve_moto
from tests.conftest import POLICIES, free_port
from tests.remediator_aws_support import (
    CASES,
    MOTO_ENV,
    REGION,
    Case,
    collect_and_judge,
    fixer,
    provision,
    recording_clients,
)

USED: dict[str, set[str]] = {}  # check id -> IAM actions its calls needed, over every case


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto(MOTO_ENV)


@pytest.fixture(scope="module")
def engine() -> Iterator[Evaluator]:
    with open_engine(EngineSettings(policies=POLICIES)) as client:
        yield client


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fix_passes_the_check_and_rollback_restores_the_failure(
    case: Case, moto: MotoServer, engine: Evaluator
) -> None:
    moto.reset()
    kind, name = provision(moto.url, case)
    fix = case.fixer
    assert kind in fix.resource_types

    before = collect_and_judge(moto.url, fix.service, kind, name, engine)
    assert fix.check_id in before.failing, before

    with recording_clients(moto.url) as (clients, actions):
        current = fix.read(clients, before.resource)
        assert current == case.before
        proposed = fix.desired(before.resource, current)
        change = fix.describe(before.resource, current, proposed)
        assert (change.current, change.proposed) == (current, proposed)

        fix.write(clients, before.resource, proposed)
        assert fix.read(clients, before.resource) == proposed
        fixed = collect_and_judge(moto.url, fix.service, kind, name, engine)
        assert fix.check_id not in fixed.failing | fixed.undecided
        assert fixed.failing <= before.failing - {fix.check_id}, "a check newly fails"
        assert fixed.undecided <= before.undecided, "a check newly undecided"

        fix.write(clients, fixed.resource, current)
        assert fix.read(clients, fixed.resource) == case.rolled_back
        rolled_back = collect_and_judge(moto.url, fix.service, kind, name, engine)
        assert rolled_back.failing == before.failing
        if case.after_rollback is None:  # the same collected attributes as before
            assert _unordered(rolled_back.resource) == _unordered(before.resource)

    assert actions <= set(fix.actions), "calls the fixer does not declare"
    USED.setdefault(fix.check_id, set()).update(actions)


def test_a_log_group_that_never_expired_is_written_back_to_never(
    moto: MotoServer, engine: Evaluator
) -> None:
    """Never-expiring groups pass the check (desired keeps None), but write(None) must still
    restore "never" after any retention, as a rollback would."""
    moto.reset()
    with base_credentials():
        boto3.client("logs", region_name=REGION, endpoint_url=moto.url).create_log_group(
            logGroupName="/fix/never-expires"
        )
    fix = fixer("AWS-CWL-001")
    before = collect_and_judge(
        moto.url, "logs", "aws_cloudwatch_log_group", "/fix/never-expires", engine
    )
    assert "AWS-CWL-001" not in before.failing
    with recording_clients(moto.url) as (clients, actions):
        assert fix.read(clients, before.resource) is None
        assert fix.desired(before.resource, None) is None
        fix.write(clients, before.resource, 30)
        assert fix.read(clients, before.resource) == 30
        fix.write(clients, before.resource, None)
        assert fix.read(clients, before.resource) is None
    assert actions <= set(fix.actions)
    USED.setdefault(fix.check_id, set()).update(actions)


def _unordered(resource: dict[str, Any]) -> dict[str, Any]:
    """Attributes with lists sorted: AWS lists sharing in no particular order."""
    return {
        k: sorted(v, key=str) if isinstance(v, list) else v
        for k, v in resource["attributes"].items()
    }


def test_the_cases_use_every_declared_action_and_cover_every_fixer() -> None:
    if len(USED) < len({c.check_id for c in CASES}):
        pytest.fail("run with the parametrized cases: they record the actions used")
    assert set(USED) == {f.check_id for f in FIXERS}
    unused = {f.check_id: set(f.actions) - USED[f.check_id] for f in FIXERS}
    assert {k: v for k, v in unused.items() if v} == {}
    assert sorted(set().union(*USED.values())) == policy_actions()


def test_encryption_by_default_changes_only_the_resource_region(moto: MotoServer) -> None:
    moto.reset()
    fix = fixer("AWS-EBS-002")
    here = {"type": "aws_ebs_encryption_by_default", "name": "x", "region": REGION}
    elsewhere = {**here, "region": "us-east-1"}
    with recording_clients(moto.url) as (clients, _):
        fix.write(clients, here, True)
        assert fix.read(clients, here) is True
        assert fix.read(clients, elsewhere) is False


def test_an_unreachable_endpoint_fails_fast_in_one_line() -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    resource = {"type": "aws_kms_key", "name": "k", "region": REGION, "attributes": {"arn": "k"}}
    with base_credentials():
        clients = RemediationClients(
            AwsRemediationOptions(endpoint_url=closed), max_attempts=2, connect_timeout=1
        )
        started = time.monotonic()
        with pytest.raises(BotoCoreError) as caught:
            fixer("AWS-KMS-001").read(clients, resource)
    assert time.monotonic() - started < 15
    assert "\n" not in str(caught.value)
    assert closed in str(caught.value)


def test_refused_credentials_raise_the_aws_error_without_retrying(moto: MotoServer) -> None:
    refused = Fault(403, "InvalidClientTokenId", "The security token is not valid")
    resource = {"type": "aws_ebs_encryption_by_default", "name": "x", "region": REGION}
    with FaultProxy(moto.url, rule=lambda call: refused) as proxy, base_credentials():
        clients = RemediationClients(AwsRemediationOptions(endpoint_url=proxy.url))
        with pytest.raises(ClientError) as caught:
            fixer("AWS-EBS-002").write(clients, resource, True)
        assert proxy.count("ec2", "EnableEbsEncryptionByDefault") == 1  # not retried
    assert caught.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert "\n" not in str(caught.value)


def test_throttling_is_retried_within_the_attempts_and_then_raised(moto: MotoServer) -> None:
    throttled = Fault(400, "Throttling", "Rate exceeded")
    resource = {"type": "aws_ebs_encryption_by_default", "name": "x", "region": REGION}
    with FaultProxy(moto.url, rule=lambda call: throttled) as proxy, base_credentials():
        clients = RemediationClients(AwsRemediationOptions(endpoint_url=proxy.url), max_attempts=2)
        with pytest.raises(ClientError):
            fixer("AWS-EBS-002").read(clients, resource)
        assert proxy.count("ec2", "GetEbsEncryptionByDefault") == 2


def test_a_role_is_assumed_with_the_remediation_session_name(moto: MotoServer) -> None:
    moto.reset()
    role = "arn:aws:iam::222222222222:role/opa-comply-remediation"
    with FaultProxy(moto.url) as proxy, base_credentials():
        clients = RemediationClients(
            AwsRemediationOptions(endpoint_url=proxy.url, role_arn=role, external_id="ext-id-1")
        )
        identity = clients.client("sts", "us-east-1").get_caller_identity()
        assert identity["Account"] == "222222222222"
        assert identity["Arn"].endswith("/opa-comply-remediation/opa-comply-remediation")
        resource = {"type": "aws_ebs_encryption_by_default", "name": "x", "region": REGION}
        fixer("AWS-EBS-002").write(clients, resource, True)
        assert fixer("AWS-EBS-002").read(clients, resource) is True
        assert proxy.count("sts", "AssumeRole") == 1  # once, however many clients
    with base_credentials():
        own = RemediationClients(AwsRemediationOptions(endpoint_url=moto.url))
        assert fixer("AWS-EBS-002").read(own, resource) is False  # the other account's


def test_an_unknown_profile_is_bad_input() -> None:
    with base_credentials():
        clients = RemediationClients(AwsRemediationOptions(profile="no-such-remediation-profile"))
        with pytest.raises(InputError, match="no-such-remediation-profile"):
            clients.client("ec2", REGION)
