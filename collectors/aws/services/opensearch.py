"""OpenSearch Service domains: OpenSearch engines as aws_opensearch_domain, Elasticsearch
engines as aws_elasticsearch_domain (Terraform's resource for them), both read through the
OpenSearch API, which lists every domain whatever its engine."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

DESCRIBE_AT_ONCE = 5  # DescribeDomains takes at most five names
ELASTICSEARCH = "Elasticsearch_"


def collect(c: Collection) -> None:
    client = c.client("opensearch")
    # ListDomainNames does not page: one answer names every domain of the region.
    names = [d["DomainName"] for d in client.list_domain_names().get("DomainNames", [])]
    for start in range(0, len(names), DESCRIBE_AT_ONCE):
        batch = names[start : start + DESCRIBE_AT_ONCE]
        c.each(f"domains {', '.join(batch)}", _batch, c, client, batch)


def _batch(c: Collection, client: Any, names: list[str]) -> None:
    for domain in client.describe_domains(DomainNames=names).get("DomainStatusList", []):
        if domain.get("Deleted"):
            continue  # being deleted: gone for every purpose
        _domain(c, client, domain)


def _domain(c: Collection, client: Any, domain: dict[str, Any]) -> None:
    name = domain["DomainName"]
    version = str(domain.get("EngineVersion") or "")
    attributes: dict[str, Any] = {"domain_name": name}
    if version.startswith(ELASTICSEARCH):
        kind = "aws_elasticsearch_domain"
        attributes["elasticsearch_version"] = version[len(ELASTICSEARCH) :]
    else:
        kind = "aws_opensearch_domain"
        attributes["engine_version"] = version or None
    at_rest = domain.get("EncryptionAtRestOptions")
    n2n = domain.get("NodeToNodeEncryptionOptions")
    endpoint = domain.get("DomainEndpointOptions")
    vpc = domain.get("VPCOptions") or {}
    security = domain.get("AdvancedSecurityOptions")
    attributes |= {
        "encrypt_at_rest": None
        if at_rest is None
        else {
            "enabled": bool(at_rest.get("Enabled", False)),
            "kms_key_id": at_rest.get("KmsKeyId"),
        },
        "node_to_node_encryption": None
        if n2n is None
        else {"enabled": bool(n2n.get("Enabled", False))},
        "domain_endpoint_options": None
        if endpoint is None
        else {
            "enforce_https": bool(endpoint.get("EnforceHTTPS", False)),
            "tls_security_policy": endpoint.get("TLSSecurityPolicy"),
            "custom_endpoint_enabled": endpoint.get("CustomEndpointEnabled"),
        },
        # No subnets: the domain has a public endpoint.
        "vpc_options": {
            "subnet_ids": list(vpc.get("SubnetIds", [])),
            "security_group_ids": list(vpc.get("SecurityGroupIds", [])),
        }
        if vpc.get("SubnetIds")
        else None,
        "advanced_security_options": None
        if security is None
        else {
            "enabled": bool(security.get("Enabled", False)),
            "internal_user_database_enabled": security.get("InternalUserDatabaseEnabled"),
        },
        "log_publishing_options": [
            {
                "log_type": log_type,
                "enabled": option.get("Enabled"),
                "cloudwatch_log_group_arn": option.get("CloudWatchLogsLogGroupArn"),
            }
            for log_type, option in sorted(domain.get("LogPublishingOptions", {}).items())
        ],
    }
    cluster = domain.get("ClusterConfig")
    if cluster is not None:
        attributes["cluster_config"] = {
            "zone_awareness_enabled": bool(cluster.get("ZoneAwarenessEnabled", False)),
            "instance_count": cluster.get("InstanceCount"),
            "dedicated_master_enabled": cluster.get("DedicatedMasterEnabled"),
        }
    arn = domain["ARN"]
    tags: dict[str, Any] = {}
    c.item(f"domain {name}", tags, "tags", _tags, client, arn)
    c.add(kind, arn, name, attributes, tags.get("tags", {}))


def _tags(client: Any, arn: str) -> dict[str, str]:
    return tag_map(client.list_tags(ARN=arn).get("TagList"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "es:DescribeDomains",
    "es:ListDomainNames",
    "es:ListTags",
)

SERVICE = Service("opensearch", collect, actions=ACTIONS)
