"""collectors/aws/iam-policy.json: exactly the actions the services declare, all read-only,
each a real operation. Each estate test checks its services' declarations against the calls
the collector really makes (tests/aws_support.least_privilege_gaps)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3

from collectors.aws.services import SERVICES, policy_actions
from tests.aws_support import IAM_ACTION_NAMES

IAM_POLICY = Path(__file__).resolve().parents[4] / "collectors" / "aws" / "iam-policy.json"


def _statement() -> dict[str, object]:
    [statement] = json.loads(IAM_POLICY.read_text())["Statement"]
    assert isinstance(statement, dict)
    return statement


def test_the_policy_grants_exactly_what_the_services_declare() -> None:
    statement = _statement()
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == "*"
    assert statement["Action"] == policy_actions(), "regenerate the list from policy_actions()"


def test_every_service_declares_its_actions_read_only() -> None:
    for service in SERVICES.values():
        assert service.actions, f"{service.name} declares no IAM action"
        for action in service.actions:
            if action == "apigateway:GET":  # API Gateway's reads are one verb action
                continue
            assert re.fullmatch(r"[a-z0-9-]+:(List|Get|Describe)[A-Za-z0-9]+", action), action


def test_the_policy_names_real_operations() -> None:
    """Each action is an operation of the service (or a known renamed S3 one)."""
    renamed = set(IAM_ACTION_NAMES.values())
    signing = {
        "logs": "logs",
        "elasticloadbalancing": "elbv2",
        "elasticfilesystem": "efs",
        "es": "opensearch",
        "access-analyzer": "accessanalyzer",
    }
    actions = _statement()["Action"]
    assert isinstance(actions, list)
    for action in actions:
        if action in renamed:
            continue
        prefix, operation = action.split(":")
        client = boto3.client(signing.get(prefix, prefix), region_name="us-east-1")
        assert operation in client.meta.service_model.operation_names, action
