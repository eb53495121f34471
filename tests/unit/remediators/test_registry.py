"""The fixers as a whole: one per check, each check real, and the reports' list of checks
with an automatic fix the same as the fixers'."""

from __future__ import annotations

import json

from compliance_opa.domain.suggestions import AUTOMATIC_FIX_CHECKS
from remediators import aws, postgres
from remediators.postgres.role import RolePasswordExpiry
from remediators.registry import FIXERS, fixers
from tests.conftest import run_cli


def test_one_fixer_per_check() -> None:
    fixers = (*aws.FIXERS, *postgres.FIXERS)
    assert len(FIXERS) == len(fixers) >= 15


def test_the_reports_know_which_checks_have_a_fixer() -> None:
    assert set(FIXERS) == AUTOMATIC_FIX_CHECKS


def test_every_fixer_fixes_a_real_check_of_its_resource_types() -> None:
    listed = json.loads(run_cli("policies", "list", "--format", "json").stdout)
    checks = {c["check_id"]: c for c in listed["checks"]}
    for check_id, fixer in FIXERS.items():
        assert check_id in checks, check_id
        assert set(fixer.resource_types) <= set(checks[check_id]["resource_types"]), check_id
        assert fixer.platform == ("aws" if check_id.startswith("AWS-") else "postgres")


def test_fixers_aim_at_the_configured_check_parameters() -> None:
    plain = fixers()
    assert plain["AWS-RDS-004"].desired({}, 1) == 7  # policies/config/data.json
    tuned = fixers(
        {
            "minimum_backup_retention_days": 30,
            "minimum_log_retention_days": 400,
            "minimum_password_length": 20,
            "credential_max_age_days": 60,
        }
    )
    assert tuned["AWS-RDS-004"].desired({}, 1) == 30
    assert tuned["AWS-RDS-004"].desired({}, 35) == 35  # a longer retention is kept
    assert tuned["AWS-CWL-001"].desired({}, 30) >= 400
    policy = tuned["AWS-IAM-006"].desired({}, None)
    assert policy["minimum_password_length"] == 20
    assert policy["max_password_age"] == 60
    assert policy["password_reuse_prevention"] == 24  # not overridden: the default
    expiry = tuned["PG-ROLE-002"]
    assert isinstance(expiry, RolePasswordExpiry)
    assert expiry.days == 60
    assert fixers({"unrelated": 1}) == FIXERS
