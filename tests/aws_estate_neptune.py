"""Provision, in moto, a Neptune estate: in one account and two regions, a compliant
("good-...") and a non-compliant ("bad-...") cluster, cluster instance and cluster snapshot,
an Aurora cluster the Neptune listing must leave out, and enough filler instances that
DescribeDBInstances answers in more than one page.

moto serves Neptune through its RDS backend (the neptune client signs as rds), with two
gaps that show in the expectations: it refuses IAM database authentication on any engine
but Aurora (CreateDBCluster answers InvalidParameterCombination, and ModifyDBCluster does
not change it), so even the good cluster fails AWS-NEP-003; and it keeps no AWS-managed KMS
key (alias/aws/rds is a customer key there, and an encrypted cluster without a key names
the key "default_kms_key_id"), so the AWS-managed-key case of AWS-NEP-002 is left to the
Rego tests."""

from __future__ import annotations

from typing import Any

import boto3

from tests.aws_estate import BAD_TAGS, GOOD_TAGS, Estate

ACCOUNT = "123456789012"  # moto's account for the base credentials
REGIONS = ("eu-west-1", "us-east-1")
FILLER_INSTANCES = 100  # with the good and bad instances, beyond moto's page of 100
AUDIT_GROUP = "good-graph-audit"

CLUSTER, INSTANCE, SNAPSHOT = (
    "aws_neptune_cluster",
    "aws_neptune_cluster_instance",
    "aws_neptune_cluster_snapshot",
)


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def provision(endpoint: str) -> Estate:
    estate = Estate()

    def client(service: str, region: str) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    _hardened_region(estate, "eu-west-1", client)
    _plain_region(estate, "us-east-1", client)
    return estate


def _hardened_region(estate: Estate, region: str, client: Any) -> None:
    neptune = client("neptune", region)
    key = client("kms", region).create_key(Description="graph")["KeyMetadata"]["Arn"]
    neptune.create_db_cluster_parameter_group(
        DBClusterParameterGroupName=AUDIT_GROUP,
        DBParameterGroupFamily="neptune1.3",
        Description="audit log on",
    )
    neptune.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName=AUDIT_GROUP,
        Parameters=[
            {
                "ParameterName": "neptune_enable_audit_log",
                "ParameterValue": "1",
                "ApplyMethod": "pending-reboot",
            }
        ],
    )
    neptune.create_db_cluster(
        DBClusterIdentifier="good-graph",
        Engine="neptune",
        StorageEncrypted=True,
        KmsKeyId=key,
        EnableCloudwatchLogsExports=["audit", "slowquery"],
        DBClusterParameterGroupName=AUDIT_GROUP,
        BackupRetentionPeriod=14,
        DeletionProtection=True,
        Tags=_tags(GOOD_TAGS),
    )
    # moto cannot turn IAM authentication on for Neptune (see the module docstring).
    estate.expect(ACCOUNT, region, CLUSTER, "good-graph", "AWS-NEP-003")
    # Left to every default: unencrypted (so no customer key for its confidential data),
    # passwordless without IAM, no audit export, 1 day of backups, deletable.
    neptune.create_db_cluster(
        DBClusterIdentifier="bad-graph", Engine="neptune", Tags=_tags(BAD_TAGS)
    )
    estate.expect(
        ACCOUNT, region, CLUSTER, "bad-graph",
        "AWS-NEP-001", "AWS-NEP-002", "AWS-NEP-003", "AWS-NEP-004", "AWS-NEP-005", "AWS-NEP-006",
    )  # fmt: skip

    for name, cluster, public in (("good-graph-1", "good-graph", False),
                                  ("bad-graph-1", "bad-graph", True)):  # fmt: skip
        neptune.create_db_instance(
            DBInstanceIdentifier=name,
            DBInstanceClass="db.r6g.large",
            Engine="neptune",
            DBClusterIdentifier=cluster,
            PubliclyAccessible=public,
            Tags=_tags(GOOD_TAGS if cluster == "good-graph" else BAD_TAGS),
        )
    estate.expect(ACCOUNT, region, INSTANCE, "good-graph-1")
    estate.expect(ACCOUNT, region, INSTANCE, "bad-graph-1", "AWS-NEP-007")
    for index in range(FILLER_INSTANCES):
        neptune.create_db_instance(
            DBInstanceIdentifier=f"filler-{index:03d}",
            DBInstanceClass="db.t4g.medium",
            Engine="neptune",
            DBClusterIdentifier="good-graph",
            PubliclyAccessible=False,
        )
        estate.expect(ACCOUNT, region, INSTANCE, f"filler-{index:03d}")

    neptune.create_db_cluster_snapshot(
        DBClusterIdentifier="good-graph", DBClusterSnapshotIdentifier="good-graph-snap"
    )
    estate.expect(ACCOUNT, region, SNAPSHOT, "good-graph-snap")
    neptune.create_db_cluster_snapshot(
        DBClusterIdentifier="bad-graph", DBClusterSnapshotIdentifier="bad-graph-snap"
    )
    estate.expect(ACCOUNT, region, SNAPSHOT, "bad-graph-snap", "AWS-NEP-008")
    _automated_snapshots(estate, region, neptune)

    # Aurora shares the RDS API: the Neptune listing must not collect it.
    client("rds", region).create_db_cluster(
        DBClusterIdentifier="aurora-orders",
        Engine="aurora-postgresql",
        MasterUsername="orders_owner",
        MasterUserPassword="aurora-password-not-collected",
    )


def _plain_region(estate: Estate, region: str, client: Any) -> None:
    neptune = client("neptune", region)
    # Untagged: out of scope for the classified-data and production checks.
    neptune.create_db_cluster(DBClusterIdentifier="bad-graph-east", Engine="neptune")
    estate.expect(
        ACCOUNT, region, CLUSTER, "bad-graph-east",
        "AWS-NEP-001", "AWS-NEP-003", "AWS-NEP-004", "AWS-NEP-005",
    )  # fmt: skip
    _automated_snapshots(estate, region, neptune)


def _automated_snapshots(estate: Estate, region: str, neptune: Any) -> None:
    """moto takes an automated snapshot of each new cluster, encrypted as its cluster is."""
    answer = neptune.describe_db_cluster_snapshots(SnapshotType="automated")
    for snap in answer["DBClusterSnapshots"]:
        failing = () if snap["StorageEncrypted"] else ("AWS-NEP-008",)
        estate.expect(ACCOUNT, region, SNAPSHOT, snap["DBClusterSnapshotIdentifier"], *failing)
