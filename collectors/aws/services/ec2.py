"""EC2: security groups (the default ones typed as aws_default_security_group), EBS volumes
and EBS encryption by default."""

from __future__ import annotations

from typing import Any

from collectors.aws.keys import effective_key
from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    ec2 = c.client("ec2")
    for group in c.pages(ec2, "describe_security_groups", "SecurityGroups"):
        _security_group(c, group)
    for volume in c.pages(ec2, "describe_volumes", "Volumes"):
        attributes = {
            "availability_zone": volume.get("AvailabilityZone", ""),
            "size": int(volume.get("Size", 0)),
            "type": volume.get("VolumeType", ""),
            "encrypted": bool(volume.get("Encrypted", False)),
            "kms_key_id": volume.get("KmsKeyId"),
            "snapshot_id": volume.get("SnapshotId") or None,
        }
        if attributes["encrypted"]:  # the alias ARN of alias/aws/ebs for the AWS-managed key
            key = attributes["kms_key_id"]
            what = f"volume {volume['VolumeId']}"
            c.item(what, attributes, "kms_key_id", effective_key, c, key, "ebs")
        else:
            attributes["kms_key_id"] = None  # a key on unencrypted storage protects nothing
        address = c.arn("ec2", f"volume/{volume['VolumeId']}")
        c.add(
            "aws_ebs_volume", address, volume["VolumeId"], attributes, tag_map(volume.get("Tags"))
        )
    enabled = bool(ec2.get_ebs_encryption_by_default().get("EbsEncryptionByDefault", False))
    c.add(
        "aws_ebs_encryption_by_default",
        c.arn("ec2", "ebs-encryption-by-default"),
        f"{c.account_id}/{c.region}",
        {"enabled": enabled},
    )


def _security_group(c: Collection, group: dict[str, Any]) -> None:
    group_id = group["GroupId"]
    attributes = {
        "group_id": group_id,
        "name": group.get("GroupName", ""),
        "vpc_id": group.get("VpcId"),
        "description": group.get("Description", ""),
        "ingress": [_rule(p, group_id) for p in group.get("IpPermissions", [])],
        "egress": [_rule(p, group_id) for p in group.get("IpPermissionsEgress", [])],
    }
    kind = "aws_default_security_group" if attributes["name"] == "default" else "aws_security_group"
    address = c.arn("ec2", f"security-group/{group_id}")
    c.add(kind, address, attributes["name"], attributes, tag_map(group.get("Tags")))


def _rule(permission: dict[str, Any], own_group: str) -> dict[str, Any]:
    """One API permission as one Terraform ingress/egress block."""
    protocol = str(permission.get("IpProtocol", "-1"))
    ranges = permission.get("IpRanges", [])
    ipv6 = permission.get("Ipv6Ranges", [])
    pairs = permission.get("UserIdGroupPairs", [])
    descriptions = [r.get("Description") for r in [*ranges, *ipv6, *pairs] if r.get("Description")]
    return {
        "protocol": protocol,
        # All traffic has no ports in the API; Terraform writes 0-0.
        "from_port": int(permission.get("FromPort", 0)) if protocol != "-1" else 0,
        "to_port": int(permission.get("ToPort", 0)) if protocol != "-1" else 0,
        "cidr_blocks": [r["CidrIp"] for r in ranges],
        "ipv6_cidr_blocks": [r["CidrIpv6"] for r in ipv6],
        "description": descriptions[0] if descriptions else None,
        "self": any(p.get("GroupId") == own_group for p in pairs),
        "security_groups": sorted(
            str(p["GroupId"]) for p in pairs if p.get("GroupId") and p.get("GroupId") != own_group
        ),
    }


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVolumes",
    "ec2:GetEbsEncryptionByDefault",
)

SERVICE = Service("ec2", collect, actions=ACTIONS)
