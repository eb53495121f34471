"""Redshift clusters with audit logging."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    redshift = c.client("redshift")
    for cluster in c.pages(redshift, "describe_clusters", "Clusters"):
        ident = cluster["ClusterIdentifier"]
        attributes: dict[str, Any] = {
            "cluster_identifier": ident,
            "node_type": cluster.get("NodeType", ""),
            "encrypted": bool(cluster.get("Encrypted", False)),
            "kms_key_id": cluster.get("KmsKeyId"),
            "publicly_accessible": bool(cluster.get("PubliclyAccessible", False)),
        }
        c.item(f"cluster {ident}", attributes, "logging", _logging, redshift, ident)
        address = c.arn("redshift", f"cluster:{ident}")
        c.add("aws_redshift_cluster", address, ident, attributes, tag_map(cluster.get("Tags")))


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
    "redshift:DescribeClusters",
    "redshift:DescribeLoggingStatus",
)

SERVICE = Service("redshift", collect, actions=ACTIONS)
