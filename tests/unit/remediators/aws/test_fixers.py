"""What the AWS fixers propose and how they describe it, without AWS: desired() from a
current value, and describe()'s summary, impact and blast radius."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.config.remediation import AWS_SECTION_SCHEMA as AWS_REMEDIATION_SCHEMA
from remediators.aws import FIXERS, _common
from remediators.aws.logs import ALLOWED_RETENTION_DAYS, LogGroupRetention
from remediators.aws.rds import BackupRetention
from remediators.base import Fixer
from tests.remediator_aws_support import fixer

DATA = Path(__file__).resolve().parents[4] / "policies" / "config" / "data.json"
ACCOUNT = "111111111111"


def resource(
    kind: str, name: str, region: str | None = "eu-west-1", **attrs: Any
) -> dict[str, Any]:
    return {
        "address": f"arn:aws:test:{region or ''}:{ACCOUNT}:{name}",
        "type": kind,
        "name": name,
        "account": ACCOUNT,
        "region": region,
        "attributes": attrs,
    }


BUCKET = resource("aws_s3_bucket", "orders-exports", bucket="orders-exports")
KMS_RULES = {
    "Rules": [
        {
            "ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms",
                "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111111111111:key/abc",
            },
            "BucketKeyEnabled": True,
        }
    ]
}


def test_the_check_parameters_are_the_policies_defaults() -> None:
    data = json.loads(DATA.read_text())
    assert data["minimum_backup_retention_days"] == _common.MINIMUM_BACKUP_RETENTION_DAYS
    assert data["minimum_log_retention_days"] == _common.MINIMUM_LOG_RETENTION_DAYS
    assert data["minimum_password_length"] == _common.MINIMUM_PASSWORD_LENGTH
    assert data["password_reuse_prevention"] == _common.PASSWORD_REUSE_PREVENTION
    assert data["credential_max_age_days"] == _common.CREDENTIAL_MAX_AGE_DAYS


def test_fixers_name_real_checks_and_collector_services() -> None:
    from collectors.aws.services import SERVICES

    checks = Path(__file__).resolve().parents[4] / "policies" / "checks" / "aws"
    rego = "\n".join(p.read_text() for p in checks.rglob("*.rego"))
    assert len(FIXERS) >= 13
    for fix in FIXERS:
        assert f"id: {fix.check_id}\n" in rego, fix.check_id
        assert fix.platform == "aws"
        assert fix.service in SERVICES, fix.check_id
        for kind in fix.resource_types:
            assert kind in rego, kind
    ids = [f.check_id for f in FIXERS]
    assert len(ids) == len(set(ids)), "remediators.registry keys fixers by check id"


def test_bucket_encryption_keeps_a_kms_rule_and_adds_sse_s3_when_absent() -> None:
    fix = fixer("AWS-S3-002")
    assert fix.desired(BUCKET, KMS_RULES) == KMS_RULES
    proposed = fix.desired(BUCKET, None)
    rule = proposed["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert rule == {"SSEAlgorithm": "AES256"}
    empty = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": ""}}]}
    assert fix.desired(BUCKET, empty) == proposed
    change = fix.describe(BUCKET, KMS_RULES, KMS_RULES)
    assert "aws:kms" in change.summary
    assert "orders-exports" in change.summary


def test_versioning_rollback_of_a_never_versioned_bucket_is_said() -> None:
    fix = fixer("AWS-S3-004")
    assert fix.desired(BUCKET, None) == "Enabled"
    never = fix.describe(BUCKET, None, "Enabled")
    assert any(
        "never been versioned" in line and "Suspended" in line for line in never.blast_radius
    )
    suspended = fix.describe(BUCKET, "Suspended", "Enabled")
    assert not any("never" in line for line in suspended.blast_radius)


def test_public_access_blocks_turn_all_four_on() -> None:
    partial = dict.fromkeys(
        (
            "block_public_acls",
            "ignore_public_acls",
            "block_public_policy",
            "restrict_public_buckets",
        ),
        False,
    )
    for check in ("AWS-S3-001", "AWS-S3-101"):
        assert set(fixer(check).desired(BUCKET, partial).values()) == {True}
        assert set(fixer(check).desired(BUCKET, None).values()) == {True}
    block = resource("aws_s3_account_public_access_block", ACCOUNT, None, account_id=ACCOUNT)
    change = fixer("AWS-S3-101").describe(block, None, {})
    assert change.impact == "account"
    assert any(f"account {ACCOUNT}" in line for line in change.blast_radius)
    bucket_change = fixer("AWS-S3-001").describe(BUCKET, None, {})
    assert bucket_change.impact == "resource"
    assert any(
        "anonymous" in line and "orders-exports" in line for line in bucket_change.blast_radius
    )


@pytest.mark.parametrize(("current", "expected"), [(0, 7), (1, 7), (7, 7), (14, 14)])
def test_backup_retention_goes_to_the_minimum_and_keeps_longer(current: int, expected: int) -> None:
    db = resource("aws_db_instance", "orders")
    assert fixer("AWS-RDS-004").desired(db, current) == expected
    assert BackupRetention(minimum_days=21).desired(db, 14) == 21
    change = fixer("AWS-RDS-004").describe(db, 0, 7)
    assert any("deletes its automated backups" in line for line in change.blast_radius)


@pytest.mark.parametrize(
    ("current", "expected"),
    [(1, 365), (30, 365), (365, 365), (366, 400), (3653, 3653), (None, None)],
)
def test_log_retention_is_a_period_aws_accepts_at_or_above_the_minimum(
    current: int | None, expected: int | None
) -> None:
    group = resource("aws_cloudwatch_log_group", "/app/orders")
    assert fixer("AWS-CWL-001").desired(group, current) == expected
    assert LogGroupRetention(minimum_days=100).desired(group, 30) == 120
    assert expected is None or expected in ALLOWED_RETENTION_DAYS


def test_password_policy_meets_the_minimums_and_keeps_stricter_values() -> None:
    policy = resource("aws_iam_account_password_policy", ACCOUNT, None)
    fix = fixer("AWS-IAM-006")
    fresh = fix.desired(policy, None)
    assert fresh == {
        "minimum_password_length": 14,
        "require_symbols": True,
        "require_numbers": True,
        "require_uppercase_characters": True,
        "require_lowercase_characters": True,
        "allow_users_to_change_password": True,
        "max_password_age": 90,
        "password_reuse_prevention": 24,
        "hard_expiry": False,
    }
    strict = {
        **fresh,
        "minimum_password_length": 32,
        "require_numbers": False,
        "allow_users_to_change_password": False,
        "max_password_age": 30,
        "hard_expiry": True,
    }
    kept = fix.desired(policy, strict)
    assert kept == {**strict, "require_numbers": True}
    assert fix.desired(policy, {**fresh, "max_password_age": 0})["max_password_age"] == 90
    assert fix.desired(policy, {**fresh, "max_password_age": 400})["max_password_age"] == 90
    change = fix.describe(policy, None, fresh)
    assert change.impact == "account"
    assert any("no password policy now" in line for line in change.blast_radius)
    assert ACCOUNT in change.summary


def test_sharing_fixes_remove_only_the_public_group() -> None:
    snap = resource("aws_ebs_snapshot", "backup", attributes=None)
    for check in ("AWS-EBS-004", "AWS-RDS-011"):
        assert fixer(check).desired(snap, ["222222222222", "all"]) == ["222222222222"]
        assert fixer(check).desired(snap, ["ALL"]) == []


def test_encryption_by_default_is_account_wide_per_region() -> None:
    setting = resource("aws_ebs_encryption_by_default", f"{ACCOUNT}/eu-west-1")
    change = fixer("AWS-EBS-002").describe(setting, False, True)
    assert change.impact == "account"
    assert any(
        "every new EBS volume" in line and "eu-west-1" in line and ACCOUNT in line
        for line in change.blast_radius
    )


@pytest.mark.parametrize("fix", FIXERS, ids=lambda f: f"{f.check_id}-{f.resource_types[0]}")
def test_every_change_names_its_resource_and_has_a_blast_radius(fix: Fixer) -> None:
    kind = fix.resource_types[0]
    target = resource(kind, "named-resource-7", arn="arn:aws:x", s3_bucket_name="logs-bucket")
    current: Any = {
        "AWS-S3-001": None,
        "AWS-S3-002": None,
        "AWS-S3-004": None,
        "AWS-S3-101": None,
        "AWS-RDS-004": 1,
        "AWS-CWL-001": 30,
        "AWS-IAM-006": None,
        "AWS-EBS-004": ["all"],
        "AWS-RDS-011": ["all"],
    }.get(fix.check_id, False)
    proposed = fix.desired(target, current)
    change = fix.describe(target, current, proposed)
    assert change.current == current
    assert change.proposed == proposed
    assert change.blast_radius
    assert all(line and "\n" not in line for line in change.blast_radius)
    named = ACCOUNT if change.impact == "account" else "named-resource-7"
    assert named in change.summary, change.summary
    assert "\n" not in change.summary
    json.dumps([change.current, change.proposed])  # JSON values


def test_the_config_schema_takes_exactly_the_options() -> None:
    import jsonschema

    from remediators.aws.clients import AwsRemediationOptions, options_from_config

    section = {
        "profile": "fixer",
        "role_arn": "arn:aws:iam::111111111111:role/opa-comply-remediation",
        "endpoint_url": "http://127.0.0.1:5000",
        "region": "eu-west-1",
        "external_id": "ext-1",
    }
    jsonschema.validate(section, AWS_REMEDIATION_SCHEMA)
    assert options_from_config(section) == AwsRemediationOptions(**section)
    assert options_from_config(None) == AwsRemediationOptions()
    wrongs: list[dict[str, Any]] = [
        {"regions": ["eu-west-1"]},
        {"role_arn": "not-an-arn"},
        {"endpoint_url": "ftp://x"},
        {"role_arns": []},
    ]
    for wrong in wrongs:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(wrong, AWS_REMEDIATION_SCHEMA)
