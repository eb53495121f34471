"""For the AWS fixer tests: one failing resource per case provisioned in moto, collected by
the real collector, judged by the real OPA; and the IAM action each fixer call needs.

A case provisions through plain boto3 clients with the base credentials (the estate), and
the fixers write through `RemediationClients` (the remediation session) to the same moto.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from collectors.aws import AwsOptions, collect_aws
from compliance_opa.app.evaluate import run_scan
from compliance_opa.domain.findings import Status
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.inventory.load import inventory_from_bytes
from remediators.aws import FIXERS
from remediators.aws.clients import AwsRemediationOptions, RemediationClients
from remediators.base import Fixer
from tests.aws_scan import base_credentials

# moto without its preloaded AMIs: their snapshots would be listed as this account's.
MOTO_ENV = {"MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
ACCOUNT = "123456789012"  # moto's account for the base credentials
REGION = "eu-west-1"
OTHER_ACCOUNT = "210987654321"  # shared with on purpose: a fix must keep it
PASSWORD = "fixer-test-password-5d1e"

# Client factory a case provisions with: (service, region) -> boto3 client.
Make = Callable[..., Any]


def fixer(check_id: str) -> Fixer:
    [found] = [f for f in FIXERS if f.check_id == check_id]
    return found


@dataclass(frozen=True)
class Case:
    """One fixer on one failing resource: `provision` makes it and names it (type, name)."""

    id: str
    check_id: str
    provision: Callable[[Make], tuple[str, str | None]]  # (type, name or None: the only one)
    before: Any  # what read() must give on the failing resource
    after_rollback: Any = None  # what read() gives after rollback, when not `before`

    @property
    def fixer(self) -> Fixer:
        return fixer(self.check_id)

    @property
    def rolled_back(self) -> Any:
        return self.before if self.after_rollback is None else self.after_rollback


def _bucket(make: Make, name: str) -> Any:
    s3 = make("s3")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return s3


def _pab(make: Make) -> tuple[str, str]:
    s3 = _bucket(make, "fix-public-access")
    s3.delete_public_access_block(Bucket="fix-public-access")  # none, whatever moto's default
    return "aws_s3_bucket", "fix-public-access"


def _partial_pab(make: Make) -> tuple[str, str]:
    s3 = _bucket(make, "fix-partial-block")
    s3.put_public_access_block(
        Bucket="fix-partial-block",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    return "aws_s3_bucket", "fix-partial-block"


def _encryption(make: Make) -> tuple[str, str]:
    _bucket(make, "fix-encryption")
    return "aws_s3_bucket", "fix-encryption"


def _never_versioned(make: Make) -> tuple[str, str]:
    _bucket(make, "fix-never-versioned")
    return "aws_s3_bucket", "fix-never-versioned"


def _suspended(make: Make) -> tuple[str, str]:
    s3 = _bucket(make, "fix-suspended")
    s3.put_bucket_versioning(Bucket="fix-suspended", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(
        Bucket="fix-suspended", VersioningConfiguration={"Status": "Suspended"}
    )
    return "aws_s3_bucket", "fix-suspended"


def _account_block(make: Make) -> tuple[str, None]:
    return "aws_s3_account_public_access_block", None  # none configured in a new account


def _instance(make: Make, name: str, **settings: Any) -> tuple[str, str]:
    make("rds").create_db_instance(
        DBInstanceIdentifier=name,
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="fixer",
        MasterUserPassword=PASSWORD,
        AllocatedStorage=20,
        **settings,
    )
    return "aws_db_instance", name


def _cluster(make: Make, name: str, **settings: Any) -> tuple[str, str]:
    rds = make("rds")
    group = f"{name}-params"  # moto keeps no default cluster parameter group
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName=group,
        DBParameterGroupFamily="aurora-postgresql16",
        Description="fixer test",
    )
    rds.create_db_cluster(
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        EngineVersion="16.1",
        DBClusterParameterGroupName=group,
        MasterUsername="fixer",
        MasterUserPassword=PASSWORD,
        **settings,
    )
    return "aws_rds_cluster", name


def _public_db_snapshot(make: Make) -> tuple[str, str]:
    _instance(make, "fix-snapshot-source")
    rds = make("rds")
    rds.create_db_snapshot(
        DBInstanceIdentifier="fix-snapshot-source", DBSnapshotIdentifier="fix-public-snapshot"
    )
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="fix-public-snapshot",
        AttributeName="restore",
        ValuesToAdd=["all", OTHER_ACCOUNT],
    )
    return "aws_db_snapshot", "fix-public-snapshot"


def _public_cluster_snapshot(make: Make) -> tuple[str, str]:
    _cluster(make, "fix-cluster-source")
    rds = make("rds")
    rds.create_db_cluster_snapshot(
        DBClusterIdentifier="fix-cluster-source",
        DBClusterSnapshotIdentifier="fix-public-cluster-snapshot",
    )
    rds.modify_db_cluster_snapshot_attribute(
        DBClusterSnapshotIdentifier="fix-public-cluster-snapshot",
        AttributeName="restore",
        ValuesToAdd=["all"],
    )
    return "aws_db_cluster_snapshot", "fix-public-cluster-snapshot"


def _key(make: Make) -> tuple[str, str]:
    key = make("kms").create_key(Description="fixer test key")["KeyMetadata"]
    return "aws_kms_key", str(key["KeyId"])


def _trail(make: Make) -> tuple[str, str]:
    _bucket(make, "fix-trail-logs")
    make("cloudtrail").create_trail(Name="fix-trail", S3BucketName="fix-trail-logs")
    return "aws_cloudtrail", "fix-trail"


def _log_group(make: Make) -> tuple[str, str]:
    logs = make("logs")
    logs.create_log_group(logGroupName="/fix/short-retention")
    logs.put_retention_policy(logGroupName="/fix/short-retention", retentionInDays=30)
    return "aws_cloudwatch_log_group", "/fix/short-retention"


def _no_password_policy(make: Make) -> tuple[str, None]:
    return "aws_iam_account_password_policy", None  # a new account has none


WEAK_BUT_PARTLY_STRICT = {
    "MinimumPasswordLength": 20,  # stricter than 14: kept
    "RequireSymbols": True,
    "RequireNumbers": False,
    "RequireUppercaseCharacters": True,
    "RequireLowercaseCharacters": False,
    "AllowUsersToChangePassword": True,
    "MaxPasswordAge": 30,  # stricter than 90: kept
    "PasswordReusePrevention": 5,
    "HardExpiry": False,
}


def _weak_password_policy(make: Make) -> tuple[str, None]:
    make("iam", "us-east-1").update_account_password_policy(**WEAK_BUT_PARTLY_STRICT)
    return "aws_iam_account_password_policy", None


def _ebs_default(make: Make) -> tuple[str, None]:
    return "aws_ebs_encryption_by_default", None  # off in a new moto account


def _public_ebs_snapshot(make: Make) -> tuple[str, str]:
    ec2 = make("ec2")
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1, Encrypted=True)
    snapshot = ec2.create_snapshot(VolumeId=volume["VolumeId"], Description="fixer test")
    ec2.modify_snapshot_attribute(
        SnapshotId=snapshot["SnapshotId"],
        Attribute="createVolumePermission",
        OperationType="add",
        GroupNames=["all"],
        UserIds=[OTHER_ACCOUNT],
    )
    return "aws_ebs_snapshot", str(snapshot["SnapshotId"])


def _table(make: Make) -> tuple[str, str]:
    make("dynamodb").create_table(
        TableName="fix-orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "Environment", "Value": "production"}],
    )
    return "aws_dynamodb_table", "fix-orders"


def _weak_policy_read() -> dict[str, Any]:
    names = {
        "MinimumPasswordLength": "minimum_password_length",
        "RequireSymbols": "require_symbols",
        "RequireNumbers": "require_numbers",
        "RequireUppercaseCharacters": "require_uppercase_characters",
        "RequireLowercaseCharacters": "require_lowercase_characters",
        "AllowUsersToChangePassword": "allow_users_to_change_password",
        "MaxPasswordAge": "max_password_age",
        "PasswordReusePrevention": "password_reuse_prevention",
        "HardExpiry": "hard_expiry",
    }
    return {names[k]: v for k, v in WEAK_BUT_PARTLY_STRICT.items()}


OFF = dict.fromkeys(
    ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"),
    False,
)

CASES = (
    Case("s3-block-absent", "AWS-S3-001", _pab, None),
    Case(
        "s3-block-partial",
        "AWS-S3-001",
        _partial_pab,
        {**OFF, "block_public_acls": True, "ignore_public_acls": True},
    ),
    Case("s3-encryption", "AWS-S3-002", _encryption, None),
    Case("s3-never-versioned", "AWS-S3-004", _never_versioned, None, "Suspended"),
    Case("s3-suspended", "AWS-S3-004", _suspended, "Suspended"),
    Case("s3-account-block", "AWS-S3-101", _account_block, None),
    Case(
        "rds-instance-deletion",
        "AWS-RDS-005",
        lambda make: _instance(make, "fix-deletion", DeletionProtection=False),
        False,
    ),
    Case(
        "rds-cluster-deletion",
        "AWS-RDS-005",
        lambda make: _cluster(make, "fix-cluster-deletion", DeletionProtection=False),
        False,
    ),
    Case(
        "rds-instance-backups",
        "AWS-RDS-004",
        lambda make: _instance(make, "fix-backups", BackupRetentionPeriod=1),
        1,
    ),
    Case(
        "rds-cluster-backups",
        "AWS-RDS-004",
        lambda make: _cluster(make, "fix-cluster-backups", BackupRetentionPeriod=2),
        2,
    ),
    Case(
        "rds-minor-upgrades",
        "AWS-RDS-009",
        lambda make: _instance(make, "fix-minor", AutoMinorVersionUpgrade=False),
        False,
    ),
    Case("rds-public-snapshot", "AWS-RDS-011", _public_db_snapshot, sorted([OTHER_ACCOUNT, "all"])),
    Case("rds-public-cluster-snapshot", "AWS-RDS-011", _public_cluster_snapshot, ["all"]),
    Case("kms-rotation", "AWS-KMS-001", _key, False),
    Case("cloudtrail-validation", "AWS-CT-002", _trail, False),
    Case("logs-retention", "AWS-CWL-001", _log_group, 30),
    Case("iam-no-password-policy", "AWS-IAM-006", _no_password_policy, None),
    Case("iam-weak-password-policy", "AWS-IAM-006", _weak_password_policy, _weak_policy_read()),
    Case("ebs-default-encryption", "AWS-EBS-002", _ebs_default, False),
    Case(
        "ebs-public-snapshot", "AWS-EBS-004", _public_ebs_snapshot, sorted([OTHER_ACCOUNT, "all"])
    ),
    Case("dynamodb-deletion", "AWS-DDB-003", _table, False),
)


def provision(url: str, case: Case) -> tuple[str, str | None]:
    def make(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=url)

    with base_credentials():
        return case.provision(make)


@dataclass(frozen=True)
class Judged:
    resource: dict[str, Any]  # the collected resource, as a fixer gets it
    failing: frozenset[str]  # check ids failing on it
    undecided: frozenset[str]  # check ids indeterminate on it


def collect_and_judge(
    url: str, service: str, kind: str, name: str | None, engine: Evaluator
) -> Judged:
    """Collect one service with the real collector and judge the snapshot with the real OPA."""
    with base_credentials():
        snapshot = collect_aws(AwsOptions(regions=(REGION,), endpoint_url=url, services=(service,)))
    assert {s["status"] for s in snapshot["sources"]} == {"complete"}, snapshot["sources"]
    [resource] = [
        r
        for r in snapshot["resources"]
        if r["type"] == kind and (name is None or name in (r["name"], r["address"].rsplit("/")[-1]))
    ]
    raw = json.dumps(snapshot).encode()
    report = run_scan([inventory_from_bytes(Path("snapshot.json"), raw)], engine, summarize=False)
    mine = [f for f in report.findings if f.resource == resource["address"]]
    return Judged(
        resource,
        frozenset(f.check.check_id for f in mine if f.status is Status.FAIL),
        frozenset(f.check.check_id for f in mine if f.status is Status.INDETERMINATE),
    )


# IAM actions named differently from the operation (service as boto3 names it).
IAM_ACTIONS = {
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "PutPublicAccessBlock"): "s3:PutBucketPublicAccessBlock",
    ("s3", "DeletePublicAccessBlock"): "s3:PutBucketPublicAccessBlock",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "PutBucketEncryption"): "s3:PutEncryptionConfiguration",
    ("s3", "DeleteBucketEncryption"): "s3:PutEncryptionConfiguration",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    ("s3control", "PutPublicAccessBlock"): "s3:PutAccountPublicAccessBlock",
    ("s3control", "DeletePublicAccessBlock"): "s3:PutAccountPublicAccessBlock",
}


def iam_action(service: str, operation: str) -> str:
    return IAM_ACTIONS.get((service, operation), f"{service}:{operation}")


@contextmanager
def recording_clients(url: str, **tuning: Any) -> Iterator[tuple[RemediationClients, set[str]]]:
    """Remediation clients on moto (base credentials), and the IAM actions their calls need."""
    actions: set[str] = set()

    def before_call(model: Any, **_: Any) -> None:
        actions.add(iam_action(str(model.service_model.service_name), str(model.name)))

    with base_credentials():
        clients = RemediationClients(AwsRemediationOptions(endpoint_url=url), **tuning)
        clients.session().events.register("before-call", before_call)
        yield clients, actions
