"""remediators/aws/iam-policy.json: exactly the fixers' actions, each a write or the read
its fixer needs, none a wildcard, each a real AWS operation. The moto test
(tests/integration/remediators/test_aws_fixers.py) checks the declarations against the calls
the fixers really make."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3

from remediators.aws import FIXERS, policy_actions
from tests.remediator_aws_support import IAM_ACTIONS

IAM_POLICY = Path(__file__).resolve().parents[4] / "remediators" / "aws" / "iam-policy.json"
READ = re.compile(r"[a-z0-9-]+:(Get|Describe)[A-Za-z0-9]+")
WRITE = re.compile(r"[a-z0-9-]+:(Put|Update|Modify|Enable|Disable|Delete)[A-Za-z0-9]+")


def test_the_policy_grants_exactly_what_the_fixers_declare() -> None:
    document = json.loads(IAM_POLICY.read_text())
    assert document["Version"] == "2012-10-17"
    [statement] = document["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == "*"
    assert statement["Action"] == policy_actions(), "regenerate the list from policy_actions()"


def test_no_action_is_a_wildcard_and_each_is_a_read_or_a_write() -> None:
    for action in policy_actions():
        assert "*" not in action, action
        assert "?" not in action, action
        assert READ.fullmatch(action) or WRITE.fullmatch(action), action


def test_every_fixer_reads_what_it_writes_and_writes_something() -> None:
    for fixer in FIXERS:
        reads = [a for a in fixer.actions if READ.fullmatch(a)]
        writes = [a for a in fixer.actions if WRITE.fullmatch(a)]
        assert reads, f"{fixer.check_id} declares no read"
        assert writes, f"{fixer.check_id} declares no write"
        assert sorted(reads + writes) == sorted(fixer.actions)
        assert len(set(fixer.actions)) == len(fixer.actions)


def test_every_action_is_an_operation_of_its_service() -> None:
    named = {action: service for (service, _), action in IAM_ACTIONS.items()}
    session = boto3.Session(region_name="us-east-1")
    for action in policy_actions():
        prefix, operation = action.split(":")
        if action in named:  # S3 names its permissions apart from its operations
            operations = {op for (s, op), a in IAM_ACTIONS.items() if a == action}
            model = session.client(named[action]).meta.service_model
            assert operations <= set(model.operation_names), action
            continue
        model = session.client(prefix).meta.service_model
        assert operation in model.operation_names, action


def test_the_role_policy_is_apart_from_the_collectors() -> None:
    collector = IAM_POLICY.parents[2] / "collectors" / "aws" / "iam-policy.json"
    [statement] = json.loads(collector.read_text())["Statement"]
    writes = [a for a in policy_actions() if WRITE.fullmatch(a)]
    assert not set(writes) & set(statement["Action"]), "the collector's role must stay read-only"
    readme = (IAM_POLICY.parent / "README.md").read_text()
    assert "collectors/aws/iam-policy.json" in readme
    assert "remediation:" in readme
