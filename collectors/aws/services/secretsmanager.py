"""Secrets Manager secrets: metadata only. The collector never reads a secret value."""

from __future__ import annotations

import json
from typing import Any

from collectors.aws.keys import effective_key
from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    secretsmanager = c.client("secretsmanager")
    for secret in c.pages(secretsmanager, "list_secrets", "SecretList"):
        rules = secret.get("RotationRules")
        attributes: dict[str, Any] = {
            "name": secret["Name"],
            # No key: the AWS-managed aws/secretsmanager key.
            "kms_key_id": secret.get("KmsKeyId"),
            "rotation_enabled": bool(secret.get("RotationEnabled", False)),
            "rotation_lambda_arn": secret.get("RotationLambdaARN"),
            "rotation_rules": None
            if not rules
            else {
                "automatically_after_days": rules.get("AutomaticallyAfterDays"),
                "schedule_expression": rules.get("ScheduleExpression"),
                "duration": rules.get("Duration"),
            },
        }
        what = f"secret {secret['Name']}"
        key = attributes["kms_key_id"]
        c.item(what, attributes, "kms_key_id", effective_key, c, key, "secretsmanager")
        c.item(what, attributes, "policy", _policy, secretsmanager, secret["ARN"])
        c.add(
            "aws_secretsmanager_secret",
            secret["ARN"],
            secret["Name"],
            attributes,
            tag_map(secret.get("Tags")),
        )


def _policy(secretsmanager: Any, arn: str) -> dict[str, Any] | None:
    """The resource policy as an object; None when the secret has none."""
    text = secretsmanager.get_resource_policy(SecretId=arn).get("ResourcePolicy")
    if not text:
        return None
    document: dict[str, Any] = json.loads(text)
    return document


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "secretsmanager:GetResourcePolicy",
    "secretsmanager:ListSecrets",
)

SERVICE = Service("secretsmanager", collect, actions=ACTIONS)
