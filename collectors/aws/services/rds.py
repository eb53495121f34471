"""RDS: instances, Aurora clusters, snapshots, with their parameter groups folded in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collectors.aws.keys import effective_key
from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

# Engines the RDS API also lists that are other services' resources (Neptune is collected
# as aws_neptune_* by the neptune service; DocumentDB is not collected): never aws_db_*.
OTHER_ENGINES = frozenset({"neptune", "docdb"})


def collect(c: Collection) -> None:
    rds = c.client("rds")
    groups = _ParameterGroups(c, rds)
    members: dict[str, list[dict[str, Any]]] = {}
    for db in c.pages(rds, "describe_db_instances", "DBInstances"):
        if db.get("Engine") in OTHER_ENGINES:
            continue
        if db.get("DBClusterIdentifier"):
            # A cluster member (Terraform's aws_rds_cluster_instance): storage, backups,
            # deletion protection and logs are the cluster's, judged on the cluster.
            members.setdefault(db["DBClusterIdentifier"], []).append(db)
            continue
        c.each(f"instance {db['DBInstanceIdentifier']}", _instance, c, groups, db)
    for cluster in c.pages(rds, "describe_db_clusters", "DBClusters"):
        if cluster.get("Engine") in OTHER_ENGINES:
            continue
        ident = cluster["DBClusterIdentifier"]
        c.each(f"cluster {ident}", _cluster, c, groups, cluster, members.get(ident, []))
    _snapshots(c, rds)


def _instance(c: Collection, groups: _ParameterGroups, db: dict[str, Any]) -> None:
    what = f"instance {db['DBInstanceIdentifier']}"
    attributes = _common(db)
    attributes |= {
        "instance_class": db.get("DBInstanceClass", ""),
        "publicly_accessible": bool(db.get("PubliclyAccessible", False)),
        "multi_az": bool(db.get("MultiAZ", False)),
        "auto_minor_version_upgrade": bool(db.get("AutoMinorVersionUpgrade", False)),
        "monitoring_interval": int(db.get("MonitoringInterval", 0)),  # 0: Enhanced Monitoring off
        "username": db.get("MasterUsername"),  # the name only: RDS never returns the password
        "ca_cert_identifier": db.get("CACertificateIdentifier"),
    }
    c.item(what, attributes, "kms_key_id", effective_key, c, attributes["kms_key_id"], "rds")
    _performance_insights(c, what, attributes, db)
    group_names = [g["DBParameterGroupName"] for g in db.get("DBParameterGroups", [])]
    if group_names:
        name = group_names[0]
        c.item(f"parameter group {name}", attributes, "parameter_group", groups.instance, name)
    address, ident = db["DBInstanceArn"], db["DBInstanceIdentifier"]
    c.add("aws_db_instance", address, ident, attributes, tag_map(db.get("TagList")))


def _cluster(
    c: Collection, groups: _ParameterGroups, cluster: dict[str, Any], members: list[dict[str, Any]]
) -> None:
    what = f"cluster {cluster['DBClusterIdentifier']}"
    attributes = _common(cluster)
    attributes["master_username"] = cluster.get("MasterUsername")  # never the password
    c.item(what, attributes, "kms_key_id", effective_key, c, attributes["kms_key_id"], "rds")
    if "PerformanceInsightsEnabled" in cluster or not members:
        _performance_insights(c, what, attributes, cluster)
    else:
        _members_performance_insights(c, what, attributes, members)
    name = cluster.get("DBClusterParameterGroup")
    if name:
        c.item(
            f"cluster parameter group {name}", attributes, "parameter_group", groups.cluster, name
        )
    address, ident = cluster["DBClusterArn"], cluster["DBClusterIdentifier"]
    c.add("aws_rds_cluster", address, ident, attributes, tag_map(cluster.get("TagList")))


def _common(db: dict[str, Any]) -> dict[str, Any]:
    """Attributes instances and clusters share, under the Terraform provider's names."""
    return {
        "engine": db.get("Engine", ""),
        "engine_version": db.get("EngineVersion", ""),
        "storage_encrypted": bool(db.get("StorageEncrypted", False)),
        # A key on unencrypted storage protects nothing (some emulators report one anyway).
        "kms_key_id": db.get("KmsKeyId") if db.get("StorageEncrypted") else None,
        "backup_retention_period": int(db.get("BackupRetentionPeriod", 0)),
        "deletion_protection": bool(db.get("DeletionProtection", False)),
        "iam_database_authentication_enabled": bool(
            db.get("IAMDatabaseAuthenticationEnabled", False)
        ),
        "vpc_security_group_ids": [
            g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups", [])
        ],
        "enabled_cloudwatch_logs_exports": list(db.get("EnabledCloudwatchLogsExports", [])),
        "copy_tags_to_snapshot": bool(db.get("CopyTagsToSnapshot", False)),
    }


def _performance_insights(
    c: Collection, what: str, attributes: dict[str, Any], db: dict[str, Any]
) -> None:
    """Whether Performance Insights is on and, when on, the key of its data (the alias ARN
    of alias/aws/rds for the AWS-managed key, as the checks and Terraform name it)."""
    enabled = bool(db.get("PerformanceInsightsEnabled", False))
    attributes["performance_insights_enabled"] = enabled
    key = db.get("PerformanceInsightsKMSKeyId") if enabled else None
    if key:
        c.item(what, attributes, "performance_insights_kms_key_id", effective_key, c, key, "rds")
    else:
        attributes["performance_insights_kms_key_id"] = None


def _members_performance_insights(
    c: Collection, what: str, attributes: dict[str, Any], members: list[dict[str, Any]]
) -> None:
    """Aurora keeps Performance Insights on its instances, not the cluster: the cluster's is
    on when any member's is, with the weakest key among them (AWS-managed if any uses it)."""
    keys: list[str | None] = []
    for member in members:
        one: dict[str, Any] = {}
        _performance_insights(c, what, one, member)
        if not one["performance_insights_enabled"]:
            continue
        if "performance_insights_kms_key_id" not in one:  # unreadable: the key stays unknown
            attributes["performance_insights_enabled"] = True
            return
        keys.append(one["performance_insights_kms_key_id"])
    attributes["performance_insights_enabled"] = bool(keys)
    weakest = [k for k in keys if not k or ":alias/aws/" in k]
    attributes["performance_insights_kms_key_id"] = (weakest or keys or [None])[0]


class _ParameterGroups:
    """Parameter groups read once per collection, however many databases share them."""

    def __init__(self, c: Collection, rds: Any) -> None:
        self._c, self._rds = c, rds
        self._cache: dict[tuple[str, str], dict[str, Any]] = {}

    def instance(self, name: str) -> dict[str, Any]:
        return self._read("instance", name)

    def cluster(self, name: str) -> dict[str, Any]:
        return self._read("cluster", name)

    def _read(self, kind: str, name: str) -> dict[str, Any]:
        if (kind, name) not in self._cache:
            if kind == "instance":
                group = self._rds.describe_db_parameter_groups(DBParameterGroupName=name)[
                    "DBParameterGroups"
                ][0]
                listing = ("describe_db_parameters", {"DBParameterGroupName": name})
            else:
                group = self._rds.describe_db_cluster_parameter_groups(
                    DBClusterParameterGroupName=name
                )["DBClusterParameterGroups"][0]
                listing = ("describe_db_cluster_parameters", {"DBClusterParameterGroupName": name})
            parameters = {
                p["ParameterName"]: str(p["ParameterValue"])
                for p in self._c.pages(self._rds, listing[0], "Parameters", **listing[1])
                if "ParameterValue" in p
            }
            self._cache[(kind, name)] = {
                "name": name,
                "family": group.get("DBParameterGroupFamily", ""),
                "parameters": parameters,
            }
        return self._cache[(kind, name)]


def _snapshots(c: Collection, rds: Any) -> None:
    for snap in c.pages(rds, "describe_db_snapshots", "DBSnapshots"):
        if snap.get("Engine") in OTHER_ENGINES:
            continue
        attributes = {
            "db_instance_identifier": snap.get("DBInstanceIdentifier", ""),
            "db_snapshot_identifier": snap["DBSnapshotIdentifier"],
            "engine": snap.get("Engine", ""),
            "encrypted": bool(snap.get("Encrypted", False)),
            "kms_key_id": snap.get("KmsKeyId"),
        }
        ident = snap["DBSnapshotIdentifier"]
        _sharing(c, f"snapshot {ident}", attributes, snap, _snapshot_sharing, rds, ident)
        c.add(
            "aws_db_snapshot",
            snap["DBSnapshotArn"],
            snap["DBSnapshotIdentifier"],
            attributes,
            tag_map(snap.get("TagList")),
        )
    for snap in c.pages(rds, "describe_db_cluster_snapshots", "DBClusterSnapshots"):
        if snap.get("Engine") in OTHER_ENGINES:
            continue
        attributes = {
            "db_cluster_identifier": snap.get("DBClusterIdentifier", ""),
            "db_cluster_snapshot_identifier": snap["DBClusterSnapshotIdentifier"],
            "engine": snap.get("Engine", ""),
            "storage_encrypted": bool(snap.get("StorageEncrypted", False)),
            "kms_key_id": snap.get("KmsKeyId"),
        }
        ident = snap["DBClusterSnapshotIdentifier"]
        what = f"cluster snapshot {ident}"
        _sharing(c, what, attributes, snap, _cluster_snapshot_sharing, rds, ident)
        c.add(
            "aws_db_cluster_snapshot",
            snap["DBClusterSnapshotArn"],
            snap["DBClusterSnapshotIdentifier"],
            attributes,
            tag_map(snap.get("TagList")),
        )


def _sharing(
    c: Collection,
    what: str,
    attributes: dict[str, Any],
    snap: dict[str, Any],
    read: Callable[[Any, str], list[str]],
    rds: Any,
    ident: str,
) -> None:
    """Who may restore the snapshot; only manual snapshots can be shared at all."""
    if snap.get("SnapshotType") == "manual":
        c.item(what, attributes, "shared_accounts", read, rds, ident)
    else:
        attributes["shared_accounts"] = []


def _snapshot_sharing(rds: Any, ident: str) -> list[str]:
    answer = rds.describe_db_snapshot_attributes(DBSnapshotIdentifier=ident)
    return _restore_accounts(answer["DBSnapshotAttributesResult"])


def _cluster_snapshot_sharing(rds: Any, ident: str) -> list[str]:
    answer = rds.describe_db_cluster_snapshot_attributes(DBClusterSnapshotIdentifier=ident)
    return _restore_accounts(answer["DBClusterSnapshotAttributesResult"])


def _restore_accounts(result: dict[str, Any]) -> list[str]:
    """Accounts allowed to restore the snapshot; "all" means public."""
    for attribute in result.get(
        "DBSnapshotAttributes", result.get("DBClusterSnapshotAttributes", [])
    ):
        if attribute.get("AttributeName") == "restore":
            return [str(v) for v in attribute.get("AttributeValues", [])]
    return []


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "rds:DescribeDBClusterParameterGroups",
    "rds:DescribeDBClusterParameters",
    "rds:DescribeDBClusterSnapshotAttributes",
    "rds:DescribeDBClusterSnapshots",
    "rds:DescribeDBClusters",
    "rds:DescribeDBInstances",
    "rds:DescribeDBParameterGroups",
    "rds:DescribeDBParameters",
    "rds:DescribeDBSnapshotAttributes",
    "rds:DescribeDBSnapshots",
)

SERVICE = Service("rds", collect, actions=ACTIONS)
