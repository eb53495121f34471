"""The config's `remediation:` section: the approval policy and the write credentials.

Remediation never writes with the collector's credentials: AWS fixes use their own
profile or role (with remediators/aws/iam-policy.json), PostgreSQL fixes their own DSN
from an environment variable (a role made with remediators/postgres/role.sql).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_NAME = {"type": "string", "minLength": 1, "maxLength": 512}

REMEDIATION_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # A .rego file or folder defining package opa_comply.remediation.approval's
        # `decision`; relative to the config file. Default: remediation_policy/.
        "approval_policy": _NAME,
        "aws": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "profile": _NAME,
                "role_arn": {"type": "string", "pattern": "^arn:aws[a-z-]*:iam::\\d{12}:role/"},
                "external_id": _NAME,
                "endpoint_url": {"type": "string", "pattern": "^https?://[^/\\s]+"},
                "region": {"type": "string", "pattern": "^[a-z]{2}(-[a-z]+)+-\\d{1,2}$"},
            },
        },
        "postgres": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                # The name of the environment variable holding the DSN, never the DSN.
                "dsn_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                "connect_timeout": {"type": "integer", "minimum": 1, "maximum": 300},
                "statement_timeout_ms": {"type": "integer", "minimum": 100},
                "lock_timeout_ms": {"type": "integer", "minimum": 10},
            },
        },
    },
}


def resolve_policy_path(section: dict[str, Any], base: Path) -> dict[str, Any]:
    """`approval_policy` relative to the config file, wherever the command runs."""
    if "approval_policy" not in section:
        return section
    return {**section, "approval_policy": str(base / section["approval_policy"])}
