"""Every fixer by the check id it fixes, aiming at the check parameters in force."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from remediators import aws, postgres
from remediators.aws.iam import PasswordPolicy
from remediators.aws.logs import LogGroupRetention
from remediators.aws.rds import BackupRetention
from remediators.base import Fixer
from remediators.postgres.role import RolePasswordExpiry

FIXERS: dict[str, Fixer] = {fixer.check_id: fixer for fixer in (*aws.FIXERS, *postgres.FIXERS)}


def fixers(parameters: Mapping[str, Any] | None = None) -> dict[str, Fixer]:
    """The fixers, those whose target value is a check parameter built with the config's
    override of it (policies/config/data.json holds the defaults the plain ones use): a
    fix aimed at the default would fail the stricter check and be rolled back."""
    given = dict(parameters or {})
    built = dict(FIXERS)
    if "minimum_backup_retention_days" in given:
        built["AWS-RDS-004"] = BackupRetention(int(given["minimum_backup_retention_days"]))
    if "minimum_log_retention_days" in given:
        built["AWS-CWL-001"] = LogGroupRetention(int(given["minimum_log_retention_days"]))
    password_keys = ("minimum_password_length", "password_reuse_prevention")
    if any(k in given for k in (*password_keys, "credential_max_age_days")):
        defaults = PasswordPolicy()
        built["AWS-IAM-006"] = PasswordPolicy(
            int(given.get("minimum_password_length", defaults.minimum_length)),
            int(given.get("password_reuse_prevention", defaults.reuse_prevention)),
            int(given.get("credential_max_age_days", defaults.max_age_days)),
        )
    if "credential_max_age_days" in given:
        built["PG-ROLE-002"] = RolePasswordExpiry(int(given["credential_max_age_days"]))
    return built
