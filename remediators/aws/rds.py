"""RDS instances, clusters and their manual snapshots."""

from __future__ import annotations

from typing import Any, ClassVar

from remediators.aws._common import MINIMUM_BACKUP_RETENTION_DAYS, AwsFixer, region_of
from remediators.base import Change

INSTANCE = "aws_db_instance"
CLUSTER = "aws_rds_cluster"
SNAPSHOT = "aws_db_snapshot"
CLUSTER_SNAPSHOT = "aws_db_cluster_snapshot"


def _describe(rds: Any, resource: dict[str, Any]) -> dict[str, Any]:
    """The instance or cluster as DescribeDBInstances / DescribeDBClusters give it."""
    if resource["type"] == CLUSTER:
        [cluster] = rds.describe_db_clusters(DBClusterIdentifier=resource["name"])["DBClusters"]
        return dict(cluster)
    [instance] = rds.describe_db_instances(DBInstanceIdentifier=resource["name"])["DBInstances"]
    return dict(instance)


def _modify(rds: Any, resource: dict[str, Any], **settings: Any) -> None:
    # Applied now, not in the next maintenance window: verification collects right after.
    if resource["type"] == CLUSTER:
        rds.modify_db_cluster(
            DBClusterIdentifier=resource["name"], ApplyImmediately=True, **settings
        )
    else:
        rds.modify_db_instance(
            DBInstanceIdentifier=resource["name"], ApplyImmediately=True, **settings
        )


def _kind(resource: dict[str, Any]) -> str:
    return "RDS cluster" if resource["type"] == CLUSTER else "RDS instance"


class _DatabaseSetting(AwsFixer):
    """One top-level setting of an instance or cluster, read and written by its API name."""

    setting: ClassVar[str]  # the API's name: DeletionProtection, BackupRetentionPeriod, ...
    cast: ClassVar[type] = bool

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        rds = target.client("rds", region_of(resource))
        return self.cast(_describe(rds, resource).get(self.setting, self.cast()))

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        rds = target.client("rds", region_of(resource))
        _modify(rds, resource, **{self.setting: self.cast(value)})


class DeletionProtection(_DatabaseSetting):
    check_id = "AWS-RDS-005"
    resource_types = (INSTANCE, CLUSTER)
    service = "rds"
    actions = (
        "rds:DescribeDBClusters",
        "rds:DescribeDBInstances",
        "rds:ModifyDBCluster",
        "rds:ModifyDBInstance",
    )
    setting = "DeletionProtection"

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return True

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        kind, name = _kind(resource), resource["name"]
        return Change(
            summary=f"Turn on deletion protection of {kind} {name}",
            setting=self.setting,
            current=current,
            proposed=proposed,
            blast_radius=(
                f"deleting {kind} {name} (a console delete, a Terraform destroy or replace, "
                "a cleanup script) fails until deletion protection is turned off again",
            ),
        )


class BackupRetention(_DatabaseSetting):
    check_id = "AWS-RDS-004"
    resource_types = (INSTANCE, CLUSTER)
    service = "rds"
    actions = DeletionProtection.actions
    setting = "BackupRetentionPeriod"
    cast = int

    def __init__(self, minimum_days: int = MINIMUM_BACKUP_RETENTION_DAYS) -> None:
        self.minimum_days = minimum_days

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return max(int(current or 0), self.minimum_days)

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        kind, name = _kind(resource), resource["name"]
        radius = [
            f"automated backups of {kind} {name} are kept {proposed} days, "
            "billed as backup storage beyond the database's size",
        ]
        if not current:
            radius.append(
                f"turning backups on from 0 takes a first snapshot of {kind} {name} now and "
                "may restart a single-AZ instance (a short outage); rolling back to 0 deletes "
                "its automated backups"
            )
        else:
            radius.append(
                f"rolling back to {current} days deletes automated backups older than that"
            )
        return Change(
            summary=f"Keep automated backups of {kind} {name} for {proposed} days",
            setting=self.setting,
            current=current,
            proposed=proposed,
            blast_radius=tuple(radius),
        )


class AutoMinorVersionUpgrade(_DatabaseSetting):
    check_id = "AWS-RDS-009"
    resource_types = (INSTANCE,)
    service = "rds"
    actions = ("rds:DescribeDBInstances", "rds:ModifyDBInstance")
    setting = "AutoMinorVersionUpgrade"

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return True

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        name = resource["name"]
        return Change(
            summary=f"Turn on automatic minor version upgrades of RDS instance {name}",
            setting=self.setting,
            current=current,
            proposed=proposed,
            blast_radius=(
                f"RDS instance {name} is upgraded to new minor engine versions in its "
                "maintenance window, each upgrade a restart (a short outage)",
            ),
        )


class SnapshotNotPublic(AwsFixer):
    check_id = "AWS-RDS-011"
    resource_types = (SNAPSHOT, CLUSTER_SNAPSHOT)
    service = "rds"
    actions = (
        "rds:DescribeDBClusterSnapshotAttributes",
        "rds:DescribeDBSnapshotAttributes",
        "rds:ModifyDBClusterSnapshotAttribute",
        "rds:ModifyDBSnapshotAttribute",
    )

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        """The accounts allowed to restore the snapshot ("all": anyone), sorted."""
        rds = target.client("rds", region_of(resource))
        if resource["type"] == CLUSTER_SNAPSHOT:
            answer = rds.describe_db_cluster_snapshot_attributes(
                DBClusterSnapshotIdentifier=resource["name"]
            )["DBClusterSnapshotAttributesResult"]["DBClusterSnapshotAttributes"]
        else:
            answer = rds.describe_db_snapshot_attributes(DBSnapshotIdentifier=resource["name"])[
                "DBSnapshotAttributesResult"
            ]["DBSnapshotAttributes"]
        for attribute in answer:
            if attribute.get("AttributeName") == "restore":
                return sorted(str(v) for v in attribute.get("AttributeValues") or [])
        return []

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return [a for a in current or [] if a.lower() != "all"]

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        # Only the difference is sent: accounts shared with on purpose stay shared.
        now = set(self.read(target, resource))
        wanted = set(value or [])
        add, remove = sorted(wanted - now), sorted(now - wanted)
        if not add and not remove:
            return
        rds = target.client("rds", region_of(resource))
        if resource["type"] == CLUSTER_SNAPSHOT:
            rds.modify_db_cluster_snapshot_attribute(
                DBClusterSnapshotIdentifier=resource["name"],
                AttributeName="restore",
                ValuesToAdd=add,
                ValuesToRemove=remove,
            )
        else:
            rds.modify_db_snapshot_attribute(
                DBSnapshotIdentifier=resource["name"],
                AttributeName="restore",
                ValuesToAdd=add,
                ValuesToRemove=remove,
            )

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        name = resource["name"]
        kept = ", ".join(proposed) if proposed else "none"
        return Change(
            summary=f"Stop sharing RDS snapshot {name} publicly",
            setting="DBSnapshotAttributes.restore",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"accounts outside the list ({kept}) can no longer copy or restore "
                f"snapshot {name}; copies they already made stay theirs",
            ),
        )


FIXERS = (DeletionProtection(), BackupRetention(), AutoMinorVersionUpgrade(), SnapshotNotPublic())
