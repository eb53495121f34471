"""Secrets Manager secrets: metadata only. The collector never reads a secret value."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    secretsmanager = c.client("secretsmanager")
    for secret in c.pages(secretsmanager, "list_secrets", "SecretList"):
        rules = secret.get("RotationRules")
        attributes: dict[str, Any] = {
            "name": secret["Name"],
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
        c.add(
            "aws_secretsmanager_secret",
            secret["ARN"],
            secret["Name"],
            attributes,
            tag_map(secret.get("Tags")),
        )


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "secretsmanager:ListSecrets",
)

SERVICE = Service("secretsmanager", collect, actions=ACTIONS)
