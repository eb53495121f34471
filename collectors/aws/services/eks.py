"""EKS: clusters (encryption, endpoint access, control-plane logs, version) and their
managed node groups (SSH remote access)."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    eks = c.client("eks")
    for name in c.pages(eks, "list_clusters", "clusters"):
        c.each(f"cluster {name}", _cluster, c, eks, name)


def _cluster(c: Collection, eks: Any, name: str) -> None:
    cluster = eks.describe_cluster(name=name)["cluster"]
    network = cluster.get("resourcesVpcConfig") or {}
    encryption = cluster.get("encryptionConfig") or []
    logging = (cluster.get("logging") or {}).get("clusterLogging", [])
    attributes: dict[str, Any] = {
        "name": cluster["name"],
        "version": cluster.get("version"),
        "enabled_cluster_log_types": sorted(
            {t for setting in logging if setting.get("enabled") for t in setting.get("types", [])}
        ),
        # Terraform has one encryption_config block; the API a list of at most one.
        "encryption_config": {
            "resources": list(encryption[0].get("resources", [])),
            "provider": {"key_arn": (encryption[0].get("provider") or {}).get("keyArn")},
        }
        if encryption
        else None,
        "vpc_config": {
            "endpoint_private_access": network.get("endpointPrivateAccess"),
            "endpoint_public_access": network.get("endpointPublicAccess"),
            "public_access_cidrs": list(network.get("publicAccessCidrs", [])),
            "subnet_ids": list(network.get("subnetIds", [])),
            "security_group_ids": list(network.get("securityGroupIds", [])),
        },
    }
    c.add("aws_eks_cluster", cluster["arn"], name, attributes, tag_map(cluster.get("tags")))
    for group in c.pages(eks, "list_nodegroups", "nodegroups", clusterName=name):
        c.each(f"node group {name}/{group}", _node_group, c, eks, name, group)


def _node_group(c: Collection, eks: Any, cluster: str, name: str) -> None:
    group = eks.describe_nodegroup(clusterName=cluster, nodegroupName=name)["nodegroup"]
    remote = group.get("remoteAccess")
    attributes = {
        "cluster_name": cluster,
        "node_group_name": group.get("nodegroupName", name),
        "remote_access": {
            "ec2_ssh_key": remote.get("ec2SshKey"),
            "source_security_group_ids": list(remote.get("sourceSecurityGroups", [])),
        }
        if remote
        else None,
    }
    c.add(
        "aws_eks_node_group",
        group["nodegroupArn"],
        f"{cluster}/{name}",
        attributes,
        tag_map(group.get("tags")),
    )


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "eks:DescribeCluster",
    "eks:DescribeNodegroup",
    "eks:ListClusters",
    "eks:ListNodegroups",
)

SERVICE = Service("eks", collect, actions=ACTIONS)
