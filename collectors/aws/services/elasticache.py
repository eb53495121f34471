"""ElastiCache replication groups. Whether AUTH is on is collected as a flag: the token itself
is never readable through the API, and never collected."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    elasticache = c.client("elasticache")
    groups = list(c.pages(elasticache, "describe_replication_groups", "ReplicationGroups"))
    if not groups:
        return
    # A replication group does not say its engine version; its member clusters do.
    versions: dict[str, str] = {}
    for cluster in c.pages(elasticache, "describe_cache_clusters", "CacheClusters"):
        if cluster.get("ReplicationGroupId") and cluster.get("EngineVersion"):
            versions.setdefault(cluster["ReplicationGroupId"], str(cluster["EngineVersion"]))
    for group in groups:
        c.each(
            f"replication group {group['ReplicationGroupId']}",
            _group,
            c,
            elasticache,
            group,
            versions,
        )


def _group(
    c: Collection, elasticache: Any, group: dict[str, Any], versions: dict[str, str]
) -> None:
    ident = group["ReplicationGroupId"]
    transit = bool(group.get("TransitEncryptionEnabled", False))
    mode = group.get("TransitEncryptionMode")
    attributes: dict[str, Any] = {
        "replication_group_id": ident,
        "description": group.get("Description", ""),
        "engine": group.get("Engine") or "redis",
        "node_type": group.get("CacheNodeType", ""),
        "at_rest_encryption_enabled": bool(group.get("AtRestEncryptionEnabled", False)),
        "transit_encryption_enabled": transit,
        # Engines from before transit modes have none and require TLS when it is on.
        "transit_encryption_mode": (mode or "required") if transit else None,
        "kms_key_id": group.get("KmsKeyId") or None,
        "auth_token_enabled": bool(group.get("AuthTokenEnabled", False)),
        "user_group_ids": list(group.get("UserGroupIds") or []),
        "snapshot_retention_limit": int(group.get("SnapshotRetentionLimit") or 0),
        "automatic_failover_enabled": group.get("AutomaticFailover") in ("enabled", "enabling"),
        "multi_az_enabled": group.get("MultiAZ") == "enabled",
    }
    if ident in versions:
        attributes["engine_version"] = versions[ident]
    arn = group.get("ARN") or c.arn("elasticache", f"replicationgroup:{ident}")
    tags: dict[str, Any] = {}
    c.item(f"replication group {ident}", tags, "tags", _tags, elasticache, arn)
    c.add("aws_elasticache_replication_group", arn, ident, attributes, tags.get("tags", {}))


def _tags(elasticache: Any, arn: str) -> dict[str, str]:
    return tag_map(elasticache.list_tags_for_resource(ResourceName=arn).get("TagList"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "elasticache:DescribeCacheClusters",
    "elasticache:DescribeReplicationGroups",
    "elasticache:ListTagsForResource",
)

SERVICE = Service("elasticache", collect, actions=ACTIONS)
