"""Provision a two-account, two-region AWS estate in moto: for every collected type a
compliant resource ("good-...") and a non-compliant one ("bad-..."), and record which
checks each must fail. The end-to-end test compares the scan with this record."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import boto3

ACCOUNTS = ("111111111111", "222222222222")
REGIONS = ("eu-west-1", "us-east-1")
ROLE = "opa-comply-audit"
EXTERNAL_ID = "opa-comply-test-external-id"

# Values that must never reach a snapshot.
SECRET_VALUE = "secret-string-must-not-leak-7f3a"
CONTAINER_SECRET = "container-env-secret-must-not-leak-91c2"
DB_PASSWORD = "db-master-password-must-not-leak-5d1e"

GOOD_TAGS = {"DataClassification": "confidential", "Environment": "production", "Owner": "platform"}
BAD_TAGS = {"DataClassification": "confidential", "Environment": "production", "Owner": "data"}


def role_arn(account: str) -> str:
    return f"arn:aws:iam::{account}:role/{ROLE}"


@dataclass
class Estate:
    """Expected failing check ids by (account, region, type, name), for every resource."""

    expected: dict[tuple[str, str | None, str, str], set[str]] = field(default_factory=dict)
    undecided: dict[tuple[str, str | None, str, str], set[str]] = field(default_factory=dict)

    def expect(self, account: str, region: str | None, kind: str, name: str, *checks: str) -> None:
        self.expected[(account, region, kind, name)] = set(checks)

    def expect_indeterminate(
        self, account: str, region: str | None, kind: str, name: str, *checks: str
    ) -> None:
        self.undecided[(account, region, kind, name)] = set(checks)


def _tags(tags: dict[str, str], key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in tags.items()]


def session_for(endpoint: str, account: str) -> boto3.Session:
    """A session in `account`, by assuming the audit role from the base credentials."""
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1")
    credentials = sts.assume_role(RoleArn=role_arn(account), RoleSessionName="provision")[
        "Credentials"
    ]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def provision(endpoint: str) -> Estate:
    estate = Estate()
    for index, account in enumerate(ACCOUNTS):
        session = session_for(endpoint, account)

        def client(service: str, region: str = "us-east-1", s: boto3.Session = session) -> Any:
            return s.client(service, region_name=region, endpoint_url=endpoint)

        _iam(estate, account, client, strong_password_policy=index == 0)
        for region in REGIONS:
            _region(estate, account, region, client)
    return estate


def _iam(estate: Estate, account: str, client: Any, strong_password_policy: bool) -> None:
    iam = client("iam")
    for name, statement in (
        (
            "good-policy",
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
        ),
        ("bad-policy", {"Effect": "Allow", "Action": "*", "Resource": "*"}),
    ):
        iam.create_policy(
            PolicyName=name,
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
        )
        estate.expect(
            account,
            None,
            "aws_iam_policy",
            name,
            # Every action on every resource: admin (005), writes on `*` (102) and the
            # privilege-escalation actions among them (103).
            *(("AWS-IAM-005", "AWS-IAM-102", "AWS-IAM-103") if name == "bad-policy" else ()),
        )
    iam.create_role(
        RoleName=ROLE,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
                    }
                ],
            }
        ),
        Tags=_tags({"Owner": "security"}),
    )
    iam.attach_role_policy(RoleName=ROLE, PolicyArn=f"arn:aws:iam::{account}:policy/good-policy")
    iam.put_role_policy(
        RoleName=ROLE,
        PolicyName="read-inventory",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}],
            }
        ),
    )
    estate.expect(account, None, "aws_iam_role", ROLE)
    _deploy_roles(estate, account, iam)
    # moto cannot turn on root MFA: every account fails AWS-IAM-001.
    estate.expect(account, None, "aws_iam_account", account, "AWS-IAM-001")
    if strong_password_policy:
        iam.update_account_password_policy(
            MinimumPasswordLength=16,
            RequireSymbols=True,
            RequireNumbers=True,
            RequireUppercaseCharacters=True,
            RequireLowercaseCharacters=True,
            AllowUsersToChangePassword=True,
            MaxPasswordAge=90,
            PasswordReusePrevention=24,
        )
        estate.expect(account, None, "aws_iam_account_password_policy", account)
    else:
        name = f"{account} (no password policy: IAM defaults)"
        estate.expect(account, None, "aws_iam_account_password_policy", name, "AWS-IAM-006")
    for name, with_mfa in (("good-user", True), ("bad-user", False)):
        iam.create_user(UserName=name, Tags=_tags({"Owner": "people"}))
        iam.create_login_profile(UserName=name, Password="Correct-Horse-9!")
        iam.create_access_key(UserName=name)
        if with_mfa:
            device = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]
            iam.enable_mfa_device(
                UserName=name,
                SerialNumber=device["SerialNumber"],
                AuthenticationCode1="123456",
                AuthenticationCode2="654321",
            )
        if not with_mfa:  # a managed policy attached to the user, and a second active key
            iam.attach_user_policy(
                UserName=name, PolicyArn=f"arn:aws:iam::{account}:policy/good-policy"
            )
            iam.create_access_key(UserName=name)
        # Keys and passwords are created now and moto cannot date their last use back:
        # AWS-IAM-112 (credentials unused for over 45 days) passes for both users.
        estate.expect(
            account,
            None,
            "aws_iam_user",
            name,
            *(() if with_mfa else ("AWS-IAM-003", "AWS-IAM-109", "AWS-IAM-111")),
        )
    # Inline policies: a user's fails AWS-IAM-106 by existing, and this one grants
    # everything; a group's read-only one passes, its admin one fails like the policy above.
    admin = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    read_only = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
        ],
    }
    iam.put_user_policy(UserName="bad-user", PolicyName="admin", PolicyDocument=json.dumps(admin))
    estate.expect(
        account, None, "aws_iam_user_policy", "bad-user:admin",
        "AWS-IAM-101", "AWS-IAM-102", "AWS-IAM-103", "AWS-IAM-106",
    )  # fmt: skip
    for group, document, failing in (
        ("readers", read_only, ()),
        ("operators", admin, ("AWS-IAM-101", "AWS-IAM-102", "AWS-IAM-103")),
    ):
        iam.create_group(GroupName=group)
        iam.put_group_policy(
            GroupName=group, PolicyName="access", PolicyDocument=json.dumps(document)
        )
        estate.expect(account, None, "aws_iam_group_policy", f"{group}:access", *failing)


def _deploy_roles(estate: Estate, account: str, iam: Any) -> None:
    """Roles GitHub Actions assumes: one pinned to a repository and audience, one open to
    every workflow on GitHub and holding AdministratorAccess."""
    github = f"arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"
    pinned = {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:example-org/infra:ref:refs/heads/main",
        }
    }
    for name, condition, policy in (
        ("good-deploy", pinned, f"arn:aws:iam::{account}:policy/good-policy"),
        ("bad-deploy", None, "arn:aws:iam::aws:policy/AdministratorAccess"),
    ):
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": {"Federated": github},
            "Action": "sts:AssumeRoleWithWebIdentity",
        }
        if condition:
            statement["Condition"] = condition
        iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [statement]}
            ),
        )
        iam.attach_role_policy(RoleName=name, PolicyArn=policy)
    estate.expect(account, None, "aws_iam_role", "good-deploy")
    estate.expect(
        account, None, "aws_iam_role", "bad-deploy", "AWS-IAM-107", "AWS-IAM-108", "AWS-IAM-110"
    )


def _region(estate: Estate, account: str, region: str, client: Any) -> None:
    kms_arn = _kms(estate, account, region, client("kms", region))
    _s3(estate, account, region, client("s3", region), kms_arn)
    _rds(estate, account, region, client("rds", region), kms_arn)
    _logs(estate, account, region, client("logs", region), kms_arn)
    _cloudtrail(estate, account, region, client, kms_arn)
    _ec2(estate, account, region, client("ec2", region), kms_arn)
    _dynamodb(estate, account, region, client("dynamodb", region), kms_arn)
    _redshift(estate, account, region, client("redshift", region), kms_arn)
    _backup(estate, account, region, client("backup", region), kms_arn)
    _secrets(estate, account, region, client, kms_arn)
    _sagemaker(estate, account, region, client("sagemaker", region), kms_arn)


def _kms(estate: Estate, account: str, region: str, kms: Any) -> str:
    good = kms.create_key(Description="good", Tags=_tags({"Name": "good"}, "TagKey", "TagValue"))
    kms.enable_key_rotation(KeyId=good["KeyMetadata"]["KeyId"])
    bad = kms.create_key(Description="bad")
    estate.expect(account, region, "aws_kms_key", good["KeyMetadata"]["KeyId"])
    estate.expect(account, region, "aws_kms_key", bad["KeyMetadata"]["KeyId"], "AWS-KMS-001")
    return str(good["KeyMetadata"]["Arn"])


def _s3(estate: Estate, account: str, region: str, s3: Any, kms_arn: str) -> None:
    location = (
        {}
        if region == "us-east-1"
        else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    good = f"good-{account}-{region}"
    s3.create_bucket(Bucket=good, ObjectLockEnabledForBucket=True, **location)
    s3.put_object_lock_configuration(
        Bucket=good,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 400}},
        },
    )
    s3.put_public_access_block(
        Bucket=good,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=good,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": kms_arn,
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_bucket_versioning(Bucket=good, VersioningConfiguration={"Status": "Enabled"})
    tls_only: dict[str, Any] = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{good}", f"arn:aws:s3:::{good}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "AccessLogDelivery",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{good}/access/*",
            },
        ],
    }
    # moto reads a string Principal wrongly when checking log delivery: grant that first.
    delivery = {"Version": "2012-10-17", "Statement": tls_only["Statement"][1:]}
    s3.put_bucket_policy(Bucket=good, Policy=json.dumps(delivery))
    s3.put_bucket_logging(
        Bucket=good,
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": good, "TargetPrefix": "access/"}},
    )
    s3.put_bucket_policy(Bucket=good, Policy=json.dumps(tls_only))
    s3.put_bucket_tagging(
        Bucket=good, Tagging={"TagSet": _tags({**GOOD_TAGS, "Purpose": "audit-logs"})}
    )
    s3.put_bucket_ownership_controls(
        Bucket=good,
        OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    )
    # MFA delete is set only with the root user's MFA code; moto never reports MFADelete, so
    # the versioned audit-log bucket reads as MFA delete off and fails AWS-S3-009.
    estate.expect(account, region, "aws_s3_bucket", good, "AWS-S3-009")
    bad = f"bad-{account}-{region}"
    s3.create_bucket(Bucket=bad, **location)
    s3.put_bucket_acl(Bucket=bad, ACL="public-read")
    s3.put_bucket_policy(
        Bucket=bad,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{bad}/*",
                    }
                ],
            }
        ),
    )
    s3.put_bucket_tagging(
        Bucket=bad,
        Tagging={"TagSet": _tags({"DataClassification": "pii", "Purpose": "audit-logs"})},
    )
    residency = ("AWS-REG-001",) if region == "us-east-1" else ()
    # AWS encrypts new buckets with SSE-S3 since 2023; moto does not, so S3-002 fails here.
    estate.expect(
        account,
        region,
        "aws_s3_bucket",
        bad,
        "AWS-S3-001",
        "AWS-S3-002",
        "AWS-S3-003",
        "AWS-S3-004",
        "AWS-S3-005",
        "AWS-S3-006",
        "AWS-S3-007",
        "AWS-S3-008",
        "AWS-S3-009",
        "AWS-S3-010",
        "AWS-S3-011",
        *residency,
    )


def _rds(estate: Estate, account: str, region: str, rds: Any, kms_arn: str) -> None:
    rds.create_db_parameter_group(
        DBParameterGroupName="good-postgres",
        DBParameterGroupFamily="postgres16",
        Description="TLS forced",
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName="good-postgres",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    rds.create_db_parameter_group(
        DBParameterGroupName="bad-mysql", DBParameterGroupFamily="mysql8.0", Description="no TLS"
    )
    # AWS lists every engine default in a group; moto lists only what was set.
    rds.modify_db_parameter_group(
        DBParameterGroupName="bad-mysql",
        Parameters=[
            {
                "ParameterName": "require_secure_transport",
                "ParameterValue": "0",
                "ApplyMethod": "immediate",
            }
        ],
    )
    rds.create_db_instance(
        DBInstanceIdentifier="good-db",
        Engine="postgres",
        EngineVersion="16.3",
        DBInstanceClass="db.m6g.large",
        AllocatedStorage=20,
        MasterUsername="app_owner",
        MasterUserPassword=DB_PASSWORD,
        StorageEncrypted=True,
        KmsKeyId=kms_arn,
        PubliclyAccessible=False,
        BackupRetentionPeriod=14,
        MultiAZ=True,
        MonitoringInterval=60,
        MonitoringRoleArn=f"arn:aws:iam::{account}:role/rds-monitoring",
        CACertificateIdentifier="rds-ca-rsa2048-g1",
        # moto keeps no Performance Insights setting and reports none: the instance reads as
        # Performance Insights off, so AWS-RDS-015 (judged only when on) neither fails nor passes.
        EnablePerformanceInsights=True,
        PerformanceInsightsKMSKeyId=kms_arn,
        DeletionProtection=True,
        EnableIAMDatabaseAuthentication=True,
        EnableCloudwatchLogsExports=["postgresql", "upgrade"],
        CopyTagsToSnapshot=True,
        AutoMinorVersionUpgrade=True,
        DBParameterGroupName="good-postgres",
        Tags=_tags(GOOD_TAGS),
    )
    estate.expect(account, region, "aws_db_instance", "good-db")
    rds.create_db_instance(
        DBInstanceIdentifier="bad-db",
        Engine="mysql",
        EngineVersion="8.0.35",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="admin",
        CACertificateIdentifier="rds-ca-2019",
        MasterUserPassword=DB_PASSWORD,
        StorageEncrypted=False,
        PubliclyAccessible=True,
        BackupRetentionPeriod=1,
        MultiAZ=False,
        DeletionProtection=False,
        CopyTagsToSnapshot=False,
        AutoMinorVersionUpgrade=False,
        DBParameterGroupName="bad-mysql",
        Tags=_tags(BAD_TAGS),
    )
    estate.expect(
        account,
        region,
        "aws_db_instance",
        "bad-db",
        "AWS-RDS-001",
        "AWS-RDS-002",
        "AWS-RDS-003",
        "AWS-RDS-004",
        "AWS-RDS-005",
        "AWS-RDS-006",
        "AWS-RDS-007",
        "AWS-RDS-008",
        "AWS-RDS-009",
        "AWS-RDS-010",
        "AWS-RDS-013",
        "AWS-RDS-014",
        "AWS-RDS-016",
        "AWS-RDS-017",
    )
    # Backups on: AWS (and moto) take an automated snapshot of each instance and cluster.
    estate.expect(account, region, "aws_db_snapshot", "rds:good-db-*")
    estate.expect(account, region, "aws_db_snapshot", "rds:bad-db-*", "AWS-RDS-012")
    rds.create_db_snapshot(DBSnapshotIdentifier="good-db-snap", DBInstanceIdentifier="good-db")
    estate.expect(account, region, "aws_db_snapshot", "good-db-snap")
    rds.create_db_snapshot(DBSnapshotIdentifier="bad-db-snap", DBInstanceIdentifier="bad-db")
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="bad-db-snap", AttributeName="restore", ValuesToAdd=["all"]
    )
    estate.expect(account, region, "aws_db_snapshot", "bad-db-snap", "AWS-RDS-011", "AWS-RDS-012")
    _clusters(estate, account, region, rds, kms_arn)


def _clusters(estate: Estate, account: str, region: str, rds: Any, kms_arn: str) -> None:
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="good-aurora",
        DBParameterGroupFamily="aurora-postgresql16",
        Description="TLS forced",
    )
    rds.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="good-aurora",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    rds.create_db_cluster(
        DBClusterIdentifier="good-cluster",
        Engine="aurora-postgresql",
        EngineVersion="16.1",
        MasterUsername="app_owner",
        MasterUserPassword=DB_PASSWORD,
        StorageEncrypted=True,
        KmsKeyId=kms_arn,
        BackupRetentionPeriod=14,
        DeletionProtection=True,
        EnableIAMDatabaseAuthentication=True,
        EnableCloudwatchLogsExports=["postgresql"],
        CopyTagsToSnapshot=True,
        DBClusterParameterGroupName="good-aurora",
        Tags=_tags(GOOD_TAGS),
    )
    estate.expect(account, region, "aws_rds_cluster", "good-cluster")
    # A cluster member is judged through its cluster: it must not show as aws_db_instance.
    rds.create_db_instance(
        DBInstanceIdentifier="good-cluster-1",
        DBClusterIdentifier="good-cluster",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
    )
    # moto also takes an automated snapshot of the member (AWS snapshots the cluster only).
    estate.expect(account, region, "aws_db_snapshot", "rds:good-cluster-1-*")
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="bad-aurora",
        DBParameterGroupFamily="aurora-mysql8.0",
        Description="TLS not required",
    )
    rds.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="bad-aurora",
        Parameters=[
            {
                "ParameterName": "require_secure_transport",
                "ParameterValue": "OFF",
                "ApplyMethod": "immediate",
            }
        ],
    )
    rds.create_db_cluster(
        DBClusterIdentifier="bad-cluster",
        DBClusterParameterGroupName="bad-aurora",
        Engine="aurora-mysql",
        EngineVersion="8.0.mysql_aurora.3.05.2",
        MasterUsername="admin",
        MasterUserPassword=DB_PASSWORD,
        StorageEncrypted=False,
        BackupRetentionPeriod=1,
        DeletionProtection=False,
        CopyTagsToSnapshot=False,
        Tags=_tags(BAD_TAGS),
    )
    estate.expect(
        account,
        region,
        "aws_rds_cluster",
        "bad-cluster",
        "AWS-RDS-001",
        "AWS-RDS-003",
        "AWS-RDS-004",
        "AWS-RDS-005",
        "AWS-RDS-006",
        "AWS-RDS-007",
        "AWS-RDS-010",
        "AWS-RDS-013",
        "AWS-RDS-016",
    )
    estate.expect(account, region, "aws_db_cluster_snapshot", "rds:good-cluster-*")
    estate.expect(account, region, "aws_db_cluster_snapshot", "rds:bad-cluster-*", "AWS-RDS-012")
    rds.create_db_cluster_snapshot(
        DBClusterSnapshotIdentifier="good-cluster-snap", DBClusterIdentifier="good-cluster"
    )
    estate.expect(account, region, "aws_db_cluster_snapshot", "good-cluster-snap")
    rds.create_db_cluster_snapshot(
        DBClusterSnapshotIdentifier="bad-cluster-snap", DBClusterIdentifier="bad-cluster"
    )
    rds.modify_db_cluster_snapshot_attribute(
        DBClusterSnapshotIdentifier="bad-cluster-snap", AttributeName="restore", ValuesToAdd=["all"]
    )
    estate.expect(
        account, region, "aws_db_cluster_snapshot", "bad-cluster-snap", "AWS-RDS-011", "AWS-RDS-012"
    )


def _logs(estate: Estate, account: str, region: str, logs: Any, kms_arn: str) -> None:
    logs.create_log_group(logGroupName="good-logs", kmsKeyId=kms_arn, tags=GOOD_TAGS)
    logs.put_retention_policy(logGroupName="good-logs", retentionInDays=400)
    estate.expect(account, region, "aws_cloudwatch_log_group", "good-logs")
    logs.create_log_group(logGroupName="bad-logs")
    logs.put_retention_policy(logGroupName="bad-logs", retentionInDays=30)
    # Created by Lambda for the rotation function (see _secrets), as AWS would.
    estate.expect(account, region, "aws_cloudwatch_log_group", "/aws/lambda/rotate", "AWS-CWL-002")
    estate.expect(
        account, region, "aws_cloudwatch_log_group", "bad-logs", "AWS-CWL-001", "AWS-CWL-002"
    )


# The CIS AWS Foundations monitoring controls (section 4): a metric filter on the trail's log
# group for each, written as an OR of the events it watches (AWS-CW-104..118 judge the trail).
CIS_FILTERS = {
    "unauthorized-api-calls": '{ ($.errorCode = "*UnauthorizedOperation") || '
    '($.errorCode = "AccessDenied*") }',
    "console-login-without-mfa": '{ ($.eventName = "ConsoleLogin") && '
    '($.additionalEventData.MFAUsed != "Yes") }',
    "root-usage": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
    '$.eventType != "AwsServiceEvent" }',
    "console-auth-failures": "{ ($.eventName = ConsoleLogin) && "
    '($.errorMessage = "Failed authentication") }',
}
CIS_EVENTS = {
    "iam-policy-changes": "DeleteGroupPolicy DeleteRolePolicy DeleteUserPolicy PutGroupPolicy "
    "PutRolePolicy PutUserPolicy CreatePolicy DeletePolicy CreatePolicyVersion "
    "DeletePolicyVersion AttachRolePolicy DetachRolePolicy AttachUserPolicy DetachUserPolicy "
    "AttachGroupPolicy DetachGroupPolicy",
    "cloudtrail-changes": "CreateTrail UpdateTrail DeleteTrail StartLogging StopLogging",
    "kms-key-disable": "DisableKey ScheduleKeyDeletion",
    "s3-bucket-policy-changes": "PutBucketAcl PutBucketPolicy PutBucketCors PutBucketLifecycle "
    "PutBucketReplication DeleteBucketPolicy DeleteBucketCors DeleteBucketLifecycle "
    "DeleteBucketReplication",
    "config-changes": "StopConfigurationRecorder DeleteDeliveryChannel PutDeliveryChannel "
    "PutConfigurationRecorder",
    "security-group-changes": "AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress "
    "RevokeSecurityGroupIngress RevokeSecurityGroupEgress CreateSecurityGroup DeleteSecurityGroup",
    "nacl-changes": "CreateNetworkAcl CreateNetworkAclEntry DeleteNetworkAcl DeleteNetworkAclEntry "
    "ReplaceNetworkAclEntry ReplaceNetworkAclAssociation",
    "network-gateway-changes": "CreateCustomerGateway DeleteCustomerGateway AttachInternetGateway "
    "CreateInternetGateway DeleteInternetGateway DetachInternetGateway",
    "route-table-changes": "CreateRoute CreateRouteTable ReplaceRoute ReplaceRouteTableAssociation "
    "DeleteRouteTable DeleteRoute DisassociateRouteTable",
    "vpc-changes": "CreateVpc DeleteVpc ModifyVpcAttribute AcceptVpcPeeringConnection "
    "CreateVpcPeeringConnection DeleteVpcPeeringConnection RejectVpcPeeringConnection "
    "AttachClassicLinkVpc DetachClassicLinkVpc DisableVpcClassicLink EnableVpcClassicLink",
    "organizations-changes": "AcceptHandshake AttachPolicy CreateAccount CreateOrganizationalUnit "
    "CreatePolicy DeclineHandshake DeleteOrganization DeleteOrganizationalUnit DeletePolicy "
    "DetachPolicy DisablePolicyType EnablePolicyType InviteAccountToOrganization "
    "LeaveOrganization MoveAccount RemoveAccountFromOrganization UpdatePolicy "
    "UpdateOrganizationalUnit",
}
CIS_ALARM_CHECKS = tuple(f"AWS-CW-{n}" for n in range(104, 119))


def _cis_patterns() -> dict[str, str]:
    events = {
        name: "{ " + " || ".join(f"($.eventName = {e})" for e in names.split()) + " }"
        for name, names in CIS_EVENTS.items()
    }
    return {**CIS_FILTERS, **events}


def _cloudtrail(estate: Estate, account: str, region: str, client: Any, kms_arn: str) -> None:
    cloudtrail, s3 = client("cloudtrail", region), client("s3", region)
    logs, cloudwatch = client("logs", region), client("cloudwatch", region)
    bucket = f"trail-{account}-{region}"
    location = (
        {}
        if region == "us-east-1"
        else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    s3.create_bucket(Bucket=bucket, **location)
    good, bad = f"good-trail-{region}", f"bad-trail-{region}"
    cloudtrail.create_trail(
        Name=good,
        S3BucketName=bucket,
        IsMultiRegionTrail=True,
        IncludeGlobalServiceEvents=True,
        EnableLogFileValidation=True,
        KmsKeyId=kms_arn,
        # The encrypted, year-long good-logs group of _logs, with a metric filter and an alarm
        # that notifies for each CIS monitoring control.
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{region}:{account}:log-group:good-logs:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/cloudtrail-to-logs",
    )
    cloudtrail.put_event_selectors(
        TrailName=good,
        EventSelectors=[
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": True,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
            }
        ],
    )
    for name, pattern in _cis_patterns().items():
        logs.put_metric_filter(
            logGroupName="good-logs",
            filterName=name,
            filterPattern=pattern,
            metricTransformations=[
                {"metricName": name, "metricNamespace": "CISBenchmark", "metricValue": "1"}
            ],
        )
        cloudwatch.put_metric_alarm(
            AlarmName=f"cis-{name}",
            MetricName=name,
            Namespace="CISBenchmark",
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            AlarmActions=[f"arn:aws:sns:{region}:{account}:security-alerts"],
        )
    cloudtrail.start_logging(Name=good)
    estate.expect(account, region, "aws_cloudtrail", good)
    cloudtrail.create_trail(Name=bad, S3BucketName=bucket)
    # Management reads only, no S3 data events, no log group to watch. (AWS-CT-008, a
    # multi-region trail without global service events, cannot be provisioned: the API
    # refuses that combination, so it passes everywhere here.)
    cloudtrail.put_event_selectors(
        TrailName=bad,
        EventSelectors=[{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}],
    )
    estate.expect(
        account,
        region,
        "aws_cloudtrail",
        bad,
        "AWS-CT-001",
        "AWS-CT-002",
        "AWS-CT-003",
        "AWS-CT-004",
        "AWS-CT-005",
        "AWS-CT-006",
        "AWS-CT-007",
        "AWS-CT-009",
    )
    # The CIS alarm checks judge multi-region trails only: this one is sound but for data
    # events and monitoring. Its log group (bad-logs) has one matching filter with no alarm
    # on its metric, and no filter for the other controls.
    unwatched = f"bad-watch-trail-{region}"
    cloudtrail.create_trail(
        Name=unwatched,
        S3BucketName=bucket,
        IsMultiRegionTrail=True,
        IncludeGlobalServiceEvents=True,
        EnableLogFileValidation=True,
        KmsKeyId=kms_arn,
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{region}:{account}:log-group:bad-logs:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/cloudtrail-to-logs",
    )
    cloudtrail.start_logging(Name=unwatched)
    logs.put_metric_filter(
        logGroupName="bad-logs",
        filterName="root-usage",
        filterPattern=_cis_patterns()["root-usage"],
        metricTransformations=[
            {
                "metricName": "root-usage-unwatched",
                "metricNamespace": "CISBenchmark",
                "metricValue": "1",
            }
        ],
    )
    estate.expect(
        account,
        region,
        "aws_cloudtrail",
        unwatched,
        "AWS-CT-006",
        "AWS-CT-007",
        *CIS_ALARM_CHECKS,
    )
    # The trail bucket is plain: it fails the bucket checks that need configuration.
    estate.expect(
        account,
        region,
        "aws_s3_bucket",
        bucket,
        "AWS-S3-001",
        "AWS-S3-002",
        "AWS-S3-004",
        "AWS-S3-005",
        "AWS-S3-006",
        "AWS-S3-010",
    )


def _ec2(estate: Estate, account: str, region: str, ec2: Any, kms_arn: str) -> None:
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    good = ec2.create_security_group(GroupName="good-sg", Description="https inside", VpcId=vpc)[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=good,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
            }
        ],
    )
    estate.expect(account, region, "aws_security_group", "good-sg")
    bad = ec2.create_security_group(GroupName="bad-sg", Description="open", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=bad,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 5432,
                "ToPort": 5432,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            },
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ],
    )
    estate.expect(
        account, region, "aws_security_group", "bad-sg", "AWS-EC2-001", "AWS-EC2-002", "AWS-EC2-004"
    )
    default = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["default"]}, {"Name": "vpc-id", "Values": [vpc]}]
    )["SecurityGroups"][0]
    if region == "eu-west-1":  # locked down here, left as AWS creates it in us-east-1
        if default["IpPermissions"]:
            ec2.revoke_security_group_ingress(
                GroupId=default["GroupId"], IpPermissions=default["IpPermissions"]
            )
        if default["IpPermissionsEgress"]:
            ec2.revoke_security_group_egress(
                GroupId=default["GroupId"], IpPermissions=default["IpPermissionsEgress"]
            )
        ec2.enable_ebs_encryption_by_default()
        estate.expect(account, region, "aws_default_security_group", "default")
        estate.expect(account, region, "aws_ebs_encryption_by_default", f"{account}/{region}")
    else:
        estate.expect(account, region, "aws_default_security_group", "default", "AWS-EC2-003")
        estate.expect(
            account, region, "aws_ebs_encryption_by_default", f"{account}/{region}", "AWS-EBS-002"
        )
    zone = f"{region}a"
    good_volume = ec2.create_volume(
        AvailabilityZone=zone,
        Size=10,
        Encrypted=True,
        KmsKeyId=kms_arn,
        TagSpecifications=[
            {"ResourceType": "volume", "Tags": _tags({"Name": "good-volume", **GOOD_TAGS})}
        ],
    )
    estate.expect(account, region, "aws_ebs_volume", good_volume["VolumeId"])
    if region != "eu-west-1":  # encryption by default would encrypt it anyway
        bad_volume = ec2.create_volume(
            AvailabilityZone=zone,
            Size=10,
            Encrypted=False,
            TagSpecifications=[
                {"ResourceType": "volume", "Tags": _tags({"Name": "bad-volume", **BAD_TAGS})}
            ],
        )
        estate.expect(
            account, region, "aws_ebs_volume", bad_volume["VolumeId"], "AWS-EBS-001", "AWS-EBS-005"
        )


def _dynamodb(estate: Estate, account: str, region: str, dynamodb: Any, kms_arn: str) -> None:
    key = {
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    dynamodb.create_table(
        TableName="good-table",
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": kms_arn},
        DeletionProtectionEnabled=True,
        Tags=_tags(GOOD_TAGS),
        **key,
    )
    dynamodb.update_continuous_backups(
        TableName="good-table",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    estate.expect(account, region, "aws_dynamodb_table", "good-table")
    dynamodb.create_table(TableName="bad-table", Tags=_tags(BAD_TAGS), **key)
    estate.expect(
        account,
        region,
        "aws_dynamodb_table",
        "bad-table",
        "AWS-DDB-001",
        "AWS-DDB-002",
        "AWS-DDB-003",
    )


def _redshift(estate: Estate, account: str, region: str, redshift: Any, kms_arn: str) -> None:
    common = {
        "NodeType": "ra3.xlplus",
        "MasterUsername": "admin_user",
        "MasterUserPassword": "Pa55word-x",
        "ClusterType": "single-node",
    }
    redshift.create_cluster_parameter_group(
        ParameterGroupName="good-warehouse-params",
        ParameterGroupFamily="redshift-1.0",
        Description="TLS required",
    )
    redshift.create_cluster(
        ClusterIdentifier="good-warehouse",
        Encrypted=True,
        KmsKeyId=kms_arn,
        PubliclyAccessible=False,
        EnhancedVpcRouting=True,
        AutomatedSnapshotRetentionPeriod=14,
        ClusterParameterGroupName="good-warehouse-params",
        Tags=_tags(GOOD_TAGS),
        **common,
    )
    redshift.enable_logging(
        ClusterIdentifier="good-warehouse",
        BucketName=f"good-{account}-{region}",
        S3KeyPrefix="redshift/",
    )
    # moto cannot change a parameter (no ModifyClusterParameterGroup): every group lists the
    # defaults, require_ssl = false among them, so the good cluster fails AWS-RS-006 too.
    estate.expect(account, region, "aws_redshift_cluster", "good-warehouse", "AWS-RS-006")
    redshift.create_cluster(
        ClusterIdentifier="bad-warehouse",
        Encrypted=False,
        PubliclyAccessible=True,
        EnhancedVpcRouting=False,
        AutomatedSnapshotRetentionPeriod=1,
        Tags=_tags(BAD_TAGS),
        **common,
    )
    estate.expect(
        account,
        region,
        "aws_redshift_cluster",
        "bad-warehouse",
        "AWS-RS-001",
        "AWS-RS-002",
        "AWS-RS-003",
        "AWS-RS-004",
        "AWS-RS-005",
        "AWS-RS-006",
    )


def _backup(estate: Estate, account: str, region: str, backup: Any, kms_arn: str) -> None:
    backup.create_backup_vault(
        BackupVaultName="good-vault", EncryptionKeyArn=kms_arn, BackupVaultTags=GOOD_TAGS
    )
    backup.put_backup_vault_lock_configuration(
        BackupVaultName="good-vault", MinRetentionDays=35, MaxRetentionDays=3650
    )
    estate.expect(account, region, "aws_backup_vault", "good-vault")
    backup.create_backup_vault(BackupVaultName="bad-vault")
    estate.expect(account, region, "aws_backup_vault", "bad-vault", "AWS-BKP-001")


def _secrets(estate: Estate, account: str, region: str, client: Any, kms_arn: str) -> None:
    secrets = client("secretsmanager", region)
    lambda_arn = _rotation_function(account, region, client)
    good = secrets.create_secret(
        Name="good-secret", SecretString=SECRET_VALUE, KmsKeyId=kms_arn, Tags=_tags(GOOD_TAGS)
    )
    secrets.rotate_secret(
        SecretId=good["ARN"],
        RotationLambdaARN=lambda_arn,
        RotationRules={"AutomaticallyAfterDays": 30},
        RotateImmediately=False,
    )
    secrets.put_resource_policy(
        SecretId=good["ARN"],
        ResourcePolicy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account}:role/{ROLE}"},
                        "Action": "secretsmanager:GetSecretValue",
                        "Resource": "*",
                    }
                ],
            }
        ),
    )
    estate.expect(account, region, "aws_secretsmanager_secret", "good-secret")
    bad = secrets.create_secret(Name="bad-secret", SecretString=SECRET_VALUE, Tags=_tags(BAD_TAGS))
    secrets.put_resource_policy(
        SecretId=bad["ARN"],
        ResourcePolicy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "secretsmanager:GetSecretValue",
                        "Resource": "*",
                    }
                ],
            }
        ),
    )
    estate.expect(
        account,
        region,
        "aws_secretsmanager_secret",
        "bad-secret",
        "AWS-SEC-001",
        "AWS-SEC-003",
        "AWS-SEC-004",
    )


def _sagemaker(estate: Estate, account: str, region: str, sagemaker: Any, kms_arn: str) -> None:
    role = f"arn:aws:iam::{account}:role/sagemaker"
    container = {
        "Image": f"{account}.dkr.ecr.{region}.amazonaws.com/model:1",
        "ModelDataUrl": f"s3://good-{account}-{region}/model.tar.gz",
        "Environment": {"API_TOKEN": CONTAINER_SECRET},
    }
    sagemaker.create_model(
        ModelName="good-model",
        ExecutionRoleArn=role,
        PrimaryContainer=container,
        EnableNetworkIsolation=True,
        VpcConfig={"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]},
        Tags=_tags(
            {
                **GOOD_TAGS,
                "Sensitivity": "high",
                "ModelFamily": "transformer",
                "AdversarialTestingDate": "2026-10-01",
            }
        ),
    )
    # moto drops EnableNetworkIsolation on create_model, so the isolation checks fail here.
    estate.expect(
        account, region, "aws_sagemaker_model", "good-model", "AWS-SGM-005", "AWS-SGM-007"
    )
    sagemaker.create_model(
        ModelName="bad-model",
        ExecutionRoleArn=role,
        PrimaryContainer=container,
        Tags=_tags({**BAD_TAGS, "Sensitivity": "high", "ModelFamily": "transformer"}),
    )
    estate.expect(account, region, "aws_sagemaker_model", "bad-model", "AWS-SGM-005", "AWS-SGM-007")
    estate.expect_indeterminate(account, region, "aws_sagemaker_model", "bad-model", "AWS-SGM-008")
    variant = {
        "VariantName": "main",
        "ModelName": "good-model",
        "InstanceType": "ml.m5.large",
        "InitialInstanceCount": 1,
    }
    sagemaker.create_endpoint_config(
        EndpointConfigName="good-config",
        ProductionVariants=[variant],
        KmsKeyId=kms_arn,
        DataCaptureConfig={
            "EnableCapture": True,
            "InitialSamplingPercentage": 100,
            "DestinationS3Uri": f"s3://good-{account}-{region}/capture",
            "KmsKeyId": kms_arn,
            "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        },
        Tags=_tags({**GOOD_TAGS, "Sensitivity": "high"}),
    )
    estate.expect(account, region, "aws_sagemaker_endpoint_configuration", "good-config")
    sagemaker.create_endpoint_config(
        EndpointConfigName="bad-config",
        ProductionVariants=[{**variant, "ModelName": "bad-model"}],
        Tags=_tags({**BAD_TAGS, "Sensitivity": "high"}),
    )
    estate.expect(
        account,
        region,
        "aws_sagemaker_endpoint_configuration",
        "bad-config",
        "AWS-SGM-001",
        "AWS-SGM-006",
    )
    sagemaker.create_endpoint(EndpointName="good-endpoint", EndpointConfigName="good-config")
    estate.expect(account, region, "aws_sagemaker_endpoint", "good-endpoint")
    sagemaker.create_notebook_instance(
        NotebookInstanceName="good-notebook",
        InstanceType="ml.t3.medium",
        RoleArn=role,
        KmsKeyId=kms_arn,
        SubnetId="subnet-1",
        SecurityGroupIds=["sg-1"],
        DirectInternetAccess="Disabled",
        RootAccess="Disabled",
        Tags=_tags(GOOD_TAGS),
    )
    estate.expect(account, region, "aws_sagemaker_notebook_instance", "good-notebook")
    sagemaker.create_notebook_instance(
        NotebookInstanceName="bad-notebook",
        InstanceType="ml.t3.medium",
        RoleArn=role,
        Tags=_tags(BAD_TAGS),
    )
    estate.expect(
        account,
        region,
        "aws_sagemaker_notebook_instance",
        "bad-notebook",
        "AWS-SGM-002",
        "AWS-SGM-003",
        "AWS-SGM-004",
    )


def _rotation_function(account: str, region: str, client: Any) -> str:
    """Secrets Manager only rotates through a Lambda function that exists."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("rotate.py", "def handler(event, context):\n    return None\n")
    function = client("lambda", region).create_function(
        FunctionName="rotate",
        Runtime="python3.12",
        Role=f"arn:aws:iam::{account}:role/{ROLE}",
        Handler="rotate.handler",
        Code={"ZipFile": archive.getvalue()},
    )
    return str(function["FunctionArn"])
