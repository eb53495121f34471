"""The AWS fixers, one module per area, and the IAM actions they need together.

`iam-policy.json` beside this file is `policy_actions()` as a policy document, for the
remediation role (separate from the collector's read-only role; see README.md).
"""

from __future__ import annotations

from remediators.aws import cloudtrail, dynamodb, ec2, iam, kms, logs, rds, s3
from remediators.base import Fixer

FIXERS: tuple[Fixer, ...] = (
    *s3.FIXERS,
    *rds.FIXERS,
    *kms.FIXERS,
    *cloudtrail.FIXERS,
    *logs.FIXERS,
    *iam.FIXERS,
    *ec2.FIXERS,
    *dynamodb.FIXERS,
)


def policy_actions() -> list[str]:
    """Every IAM action the fixers call: what iam-policy.json grants."""
    return sorted({action for fixer in FIXERS for action in fixer.actions})
