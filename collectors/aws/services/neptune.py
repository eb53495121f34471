"""Neptune: graph database clusters, their instances and cluster snapshots.

Neptune's management API is RDS's (the same endpoint, and IAM authorizes it with rds:
actions), so DescribeDBClusters and friends also list Aurora, RDS and DocumentDB: every
listing here is filtered to the neptune engine. Neptune's answers carry no tags; they are
read with ListTagsForResource, one call per resource.
"""

from __future__ import annotations

from typing import Any

from collectors.aws.keys import effective_key
from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

NEPTUNE_ONLY = [{"Name": "engine", "Values": ["neptune"]}]


def collect(c: Collection) -> None:
    neptune = c.client("neptune")
    for cluster in c.pages(neptune, "describe_db_clusters", "DBClusters", Filters=NEPTUNE_ONLY):
        c.each(f"cluster {cluster['DBClusterIdentifier']}", _cluster, c, neptune, cluster)
    for db in c.pages(neptune, "describe_db_instances", "DBInstances", Filters=NEPTUNE_ONLY):
        c.each(f"instance {db['DBInstanceIdentifier']}", _instance, c, neptune, db)
    for snap in c.pages(
        neptune, "describe_db_cluster_snapshots", "DBClusterSnapshots", Filters=NEPTUNE_ONLY
    ):
        ident = snap["DBClusterSnapshotIdentifier"]
        c.each(f"cluster snapshot {ident}", _snapshot, c, neptune, snap)


def _cluster(c: Collection, neptune: Any, cluster: dict[str, Any]) -> None:
    ident = cluster["DBClusterIdentifier"]
    what = f"cluster {ident}"
    encrypted = bool(cluster.get("StorageEncrypted", False))
    attributes: dict[str, Any] = {
        "cluster_identifier": ident,
        "engine": cluster.get("Engine", ""),
        "engine_version": cluster.get("EngineVersion", ""),
        "storage_encrypted": encrypted,
        "iam_database_authentication_enabled": bool(
            cluster.get("IAMDatabaseAuthenticationEnabled", False)
        ),
        "enable_cloudwatch_logs_exports": list(cluster.get("EnabledCloudwatchLogsExports", [])),
        "backup_retention_period": int(cluster.get("BackupRetentionPeriod", 0)),
        "deletion_protection": bool(cluster.get("DeletionProtection", False)),
        "vpc_security_group_ids": [
            g["VpcSecurityGroupId"] for g in cluster.get("VpcSecurityGroups", [])
        ],
    }
    # Whether the audit log is written is a parameter of this group (a default group keeps
    # it off); an answer without the group leaves it out, so the check cannot pass on it.
    if cluster.get("DBClusterParameterGroup"):
        attributes["neptune_cluster_parameter_group_name"] = cluster["DBClusterParameterGroup"]
    # A key on unencrypted storage protects nothing (emulators report one anyway). The
    # AWS-managed key (aws/rds) is written as its alias ARN, as the checks name it.
    key = cluster.get("KmsKeyId") if encrypted else None
    c.item(what, attributes, "kms_key_arn", effective_key, c, key, "rds")
    address = cluster["DBClusterArn"]
    c.add("aws_neptune_cluster", address, ident, attributes, _tags(c, what, neptune, address))


def _instance(c: Collection, neptune: Any, db: dict[str, Any]) -> None:
    ident = db["DBInstanceIdentifier"]
    attributes: dict[str, Any] = {
        "identifier": ident,
        "cluster_identifier": db.get("DBClusterIdentifier", ""),
        "engine": db.get("Engine", ""),
        "instance_class": db.get("DBInstanceClass", ""),
        "auto_minor_version_upgrade": bool(db.get("AutoMinorVersionUpgrade", False)),
    }
    # Left out when the answer does not say: a public endpoint must not pass unseen.
    if isinstance(db.get("PubliclyAccessible"), bool):
        attributes["publicly_accessible"] = db["PubliclyAccessible"]
    address = db["DBInstanceArn"]
    tags = _tags(c, f"instance {ident}", neptune, address)
    c.add("aws_neptune_cluster_instance", address, ident, attributes, tags)


def _snapshot(c: Collection, neptune: Any, snap: dict[str, Any]) -> None:
    ident = snap["DBClusterSnapshotIdentifier"]
    encrypted = bool(snap.get("StorageEncrypted", False))
    attributes = {
        "db_cluster_identifier": snap.get("DBClusterIdentifier", ""),
        "db_cluster_snapshot_identifier": ident,
        "engine": snap.get("Engine", ""),
        "snapshot_type": snap.get("SnapshotType", ""),
        "storage_encrypted": encrypted,
        "kms_key_id": snap.get("KmsKeyId") if encrypted else None,
    }
    address = snap["DBClusterSnapshotArn"]
    tags = _tags(c, f"cluster snapshot {ident}", neptune, address)
    c.add("aws_neptune_cluster_snapshot", address, ident, attributes, tags)


def _tags(c: Collection, what: str, neptune: Any, arn: str) -> dict[str, str]:
    """The resource's tags; a failed read records a problem and leaves it untagged (checks
    scoped by classification or environment then cannot select it: the source is partial)."""
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _list_tags, neptune, arn)
    return dict(tags.get("tags", {}))


def _list_tags(neptune: Any, arn: str) -> dict[str, str]:
    return tag_map(neptune.list_tags_for_resource(ResourceName=arn).get("TagList"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "kms:DescribeKey",
    "rds:DescribeDBClusterSnapshots",
    "rds:DescribeDBClusters",
    "rds:DescribeDBInstances",
    "rds:ListTagsForResource",
)

SERVICE = Service("neptune", collect, actions=ACTIONS)
