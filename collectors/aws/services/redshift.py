"""Redshift clusters with audit logging."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    redshift = c.client("redshift")
    groups: dict[str, dict[str, Any]] = {}  # parameter groups read once, however many share them
    for cluster in c.pages(redshift, "describe_clusters", "Clusters"):
        ident = cluster["ClusterIdentifier"]
        retention = cluster.get("AutomatedSnapshotRetentionPeriod")
        attributes: dict[str, Any] = {
            "cluster_identifier": ident,
            "node_type": cluster.get("NodeType", ""),
            "encrypted": bool(cluster.get("Encrypted", False)),
            "kms_key_id": cluster.get("KmsKeyId"),
            "publicly_accessible": bool(cluster.get("PubliclyAccessible", False)),
            "enhanced_vpc_routing": bool(cluster.get("EnhancedVpcRouting", False)),
            "automated_snapshot_retention_period": None if retention is None else int(retention),
        }
        c.item(f"cluster {ident}", attributes, "logging", _logging, redshift, ident)
        names = [g["ParameterGroupName"] for g in cluster.get("ClusterParameterGroups", [])]
        if names:
            name = names[0]
            c.item(
                f"parameter group {name}",
                attributes,
                "parameter_group",
                _parameter_group,
                c,
                redshift,
                groups,
                name,
            )
        address = c.arn("redshift", f"cluster:{ident}")
        c.add("aws_redshift_cluster", address, ident, attributes, tag_map(cluster.get("Tags")))


def _parameter_group(
    c: Collection, redshift: Any, groups: dict[str, dict[str, Any]], name: str
) -> dict[str, Any]:
    """The group's family and effective values (defaults included), as RDS's parameter_group."""
    if name not in groups:
        [group] = redshift.describe_cluster_parameter_groups(ParameterGroupName=name)[
            "ParameterGroups"
        ]
        listing = c.pages(
            redshift, "describe_cluster_parameters", "Parameters", ParameterGroupName=name
        )
        groups[name] = {
            "name": name,
            "family": group.get("ParameterGroupFamily", ""),
            "parameters": {
                p["ParameterName"]: str(p["ParameterValue"])
                for p in listing
                if "ParameterValue" in p
            },
        }
    return groups[name]


def _logging(redshift: Any, ident: str) -> dict[str, Any] | None:
    status = redshift.describe_logging_status(ClusterIdentifier=ident)
    if not status.get("LoggingEnabled"):
        return None
    destination = status.get("LogDestinationType") or "s3"
    return {
        "enable": True,
        "log_destination_type": destination,
        "bucket_name": status.get("BucketName") or None,
        "s3_key_prefix": status.get("S3KeyPrefix") or None,
        "log_exports": list(status.get("LogExports", [])),
    }


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "redshift:DescribeClusterParameterGroups",
    "redshift:DescribeClusterParameters",
    "redshift:DescribeClusters",
    "redshift:DescribeLoggingStatus",
)

SERVICE = Service("redshift", collect, actions=ACTIONS)
