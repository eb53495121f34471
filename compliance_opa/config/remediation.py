"""The config's `remediation:` section: the approval policy and the write credentials.

Remediation never writes with the collector's credentials: AWS fixes use their own
profile or role (with remediators/aws/iam-policy.json), PostgreSQL fixes their own DSN
from an environment variable (a role made with remediators/postgres/role.sql).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_NAME = {"type": "string", "minLength": 1, "maxLength": 512}

# `remediation.aws`: the fields of remediators.aws.clients.AwsRemediationOptions.
AWS_SECTION_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "profile": _NAME,
        "role_arn": {"type": "string", "pattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$"},
        "external_id": {"type": "string", "minLength": 2, "maxLength": 1224},
        "endpoint_url": {"type": "string", "pattern": "^https?://[^/\\s]+"},
        "region": {"type": "string", "pattern": "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$"},
    },
}

# `remediation.postgres`: the fields of remediators.postgres.connect.PostgresRemediationOptions.
POSTGRES_SECTION_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # A variable's name, never the DSN itself: the config file holds no password.
        "dsn_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "maxLength": 128},
        "connect_timeout": {"type": "integer", "minimum": 1, "maximum": 300},
        "statement_timeout_ms": {"type": "integer", "minimum": 100, "maximum": 3_600_000},
        "lock_timeout_ms": {"type": "integer", "minimum": 10, "maximum": 600_000},
    },
}

REMEDIATION_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # A .rego file or folder defining package opa_comply.remediation.approval's
        # `decision`; relative to the config file. Default: remediation_policy/.
        "approval_policy": _NAME,
        # How long a fix may take to show before it counts as failed (default 120 s):
        # RDS applies modifications asynchronously.
        "verify_wait_seconds": {"type": "number", "minimum": 0, "maximum": 3600},
        "aws": AWS_SECTION_SCHEMA,
        "postgres": POSTGRES_SECTION_SCHEMA,
    },
}


def resolve_policy_path(section: dict[str, Any], base: Path) -> dict[str, Any]:
    """`approval_policy` relative to the config file, wherever the command runs."""
    if "approval_policy" not in section:
        return section
    return {**section, "approval_policy": str(base / section["approval_policy"])}
