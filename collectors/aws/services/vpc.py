"""VPC: VPCs with their flow logs and endpoints folded in (the region's default VPC typed
as aws_default_vpc), subnets, and network ACLs with their rules as Terraform's inline
ingress/egress blocks (the default ACL of each VPC typed as aws_default_network_acl)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

# The rule every ACL ends with (deny all); Terraform leaves it out of the blocks.
_DEFAULT_RULE = 32767


def collect(c: Collection) -> None:
    ec2 = c.client("ec2")
    # Each listing is left out when it fails: the VPCs then lack that attribute, and the
    # checks reading it say indeterminate.
    folded: dict[str, Any] = {}
    c.item("flow logs", folded, "flow_logs", _flow_logs, c, ec2)
    c.item("VPC endpoints", folded, "vpc_endpoints", _endpoints, c, ec2)
    for vpc in c.pages(ec2, "describe_vpcs", "Vpcs"):
        _vpc(c, vpc, folded)
    for subnet in c.pages(ec2, "describe_subnets", "Subnets"):
        tags = tag_map(subnet.get("Tags"))
        attributes = {
            "vpc_id": subnet.get("VpcId"),
            "cidr_block": subnet.get("CidrBlock"),
            "map_public_ip_on_launch": bool(subnet.get("MapPublicIpOnLaunch", False)),
        }
        address = subnet.get("SubnetArn") or c.arn("ec2", f"subnet/{subnet['SubnetId']}")
        c.add("aws_subnet", address, _name(tags, subnet["SubnetId"]), attributes, tags)
    for acl in c.pages(ec2, "describe_network_acls", "NetworkAcls"):
        _network_acl(c, acl)


def _name(tags: dict[str, str], fallback: str) -> str:
    return tags.get("Name", "").strip() or fallback


def _flow_logs(c: Collection, ec2: Any) -> dict[str, list[dict[str, Any]]]:
    by_resource: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for log in c.pages(ec2, "describe_flow_logs", "FlowLogs"):
        by_resource[log.get("ResourceId", "")].append(
            {
                "traffic_type": log.get("TrafficType"),
                "log_destination_type": log.get("LogDestinationType"),
                "log_destination": log.get("LogDestination") or log.get("LogGroupName"),
            }
        )
    return by_resource


def _endpoints(c: Collection, ec2: Any) -> dict[str, list[dict[str, Any]]]:
    by_vpc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for endpoint in c.pages(ec2, "describe_vpc_endpoints", "VpcEndpoints"):
        if endpoint.get("State", "").lower() in {"deleted", "deleting", "failed", "rejected"}:
            continue
        by_vpc[endpoint.get("VpcId", "")].append(
            {
                "service_name": endpoint.get("ServiceName"),
                "vpc_endpoint_type": endpoint.get("VpcEndpointType"),
            }
        )
    return by_vpc


def _vpc(c: Collection, vpc: dict[str, Any], folded: dict[str, Any]) -> None:
    vpc_id = vpc["VpcId"]
    default = bool(vpc.get("IsDefault", False))
    attributes: dict[str, Any] = {"cidr_block": vpc.get("CidrBlock", ""), "is_default": default}
    if default:
        attributes["existing_default_vpc"] = True
    for name in ("flow_logs", "vpc_endpoints"):
        if name in folded:
            attributes[name] = sorted(
                folded[name].get(vpc_id, []), key=lambda item: sorted(item.items(), key=str)
            )
    tags = tag_map(vpc.get("Tags"))
    kind = "aws_default_vpc" if default else "aws_vpc"
    c.add(kind, c.arn("ec2", f"vpc/{vpc_id}"), _name(tags, vpc_id), attributes, tags)


def _network_acl(c: Collection, acl: dict[str, Any]) -> None:
    acl_id = acl["NetworkAclId"]
    entries = [e for e in acl.get("Entries", []) if e.get("RuleNumber") != _DEFAULT_RULE]
    rules = [(_rule(e), bool(e.get("Egress"))) for e in entries]
    rules.sort(key=lambda pair: int(pair[0]["rule_no"]))
    attributes = {
        "vpc_id": acl.get("VpcId"),
        "ingress": [rule for rule, egress in rules if not egress],
        "egress": [rule for rule, egress in rules if egress],
    }
    tags = tag_map(acl.get("Tags"))
    kind = "aws_default_network_acl" if acl.get("IsDefault") else "aws_network_acl"
    address = c.arn("ec2", f"network-acl/{acl_id}")
    c.add(kind, address, _name(tags, acl_id), attributes, tags)


def _rule(entry: dict[str, Any]) -> dict[str, Any]:
    """One ACL entry as one Terraform ingress/egress block."""
    ports = entry.get("PortRange") or {}
    return {
        "protocol": str(entry.get("Protocol", "-1")),  # "-1" all, else the number ("6" tcp)
        "rule_no": int(entry.get("RuleNumber", 0)),
        "action": str(entry.get("RuleAction", "")).lower(),
        "cidr_block": entry.get("CidrBlock"),
        "ipv6_cidr_block": entry.get("Ipv6CidrBlock"),
        # All traffic (and ICMP) has no port range in the API; Terraform writes 0-0.
        "from_port": int(ports.get("From", 0)),
        "to_port": int(ports.get("To", 0)),
    }


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "ec2:DescribeFlowLogs",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcs",
)

SERVICE = Service("vpc", collect, actions=ACTIONS)
