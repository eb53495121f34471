"""Compute: EC2 instances (their volumes' encryption read from DescribeVolumes), launch
templates, launch configurations, Auto Scaling groups, the account's EBS snapshots and
AMIs with their sharing (one aws_ami_launch_permission per launch permission).

Not stored: user data (it often carries credentials) and instance key material.
"""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    ec2 = c.client("ec2")
    volumes: dict[str, Any] = {}  # "by_id" is left out when DescribeVolumes fails
    c.item("volumes", volumes, "by_id", _volumes, c, ec2)
    for reservation in c.pages(ec2, "describe_instances", "Reservations"):
        for instance in reservation.get("Instances", []):
            if instance.get("State", {}).get("Name") in {"terminated", "shutting-down"}:
                continue
            c.each(
                f"instance {instance['InstanceId']}", _instance, c, instance, volumes.get("by_id")
            )
    for template in c.pages(ec2, "describe_launch_templates", "LaunchTemplates"):
        c.each(f"launch template {template['LaunchTemplateName']}", _template, c, ec2, template)
    autoscaling = c.client("autoscaling")
    roots = _RootDevices(c, ec2)
    for config in c.pages(autoscaling, "describe_launch_configurations", "LaunchConfigurations"):
        name = config["LaunchConfigurationName"]
        c.each(f"launch configuration {name}", _launch_configuration, c, roots, config)
    for group in c.pages(autoscaling, "describe_auto_scaling_groups", "AutoScalingGroups"):
        _autoscaling_group(c, group)
    for snapshot in c.pages(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"]):
        _snapshot(c, ec2, snapshot)
    for image in c.pages(ec2, "describe_images", "Images", Owners=["self"]):
        c.each(f"image {image['ImageId']}", _image, c, ec2, image)


def _name(tags: dict[str, str], fallback: str) -> str:
    return tags.get("Name", "").strip() or fallback


def _volumes(c: Collection, ec2: Any) -> dict[str, dict[str, Any]]:
    return {v["VolumeId"]: v for v in c.pages(ec2, "describe_volumes", "Volumes")}


def _instance(c: Collection, instance: dict[str, Any], volumes: dict[str, Any] | None) -> None:
    instance_id = instance["InstanceId"]
    metadata = instance.get("MetadataOptions")
    profile = (instance.get("IamInstanceProfile") or {}).get("Arn")
    attributes: dict[str, Any] = {
        "ami": instance.get("ImageId", ""),
        "instance_type": instance.get("InstanceType", ""),
        "subnet_id": instance.get("SubnetId"),
        # Terraform holds the profile's name; the API gives its ARN (name last, after a path).
        "iam_instance_profile": profile.rsplit("/", 1)[-1] if profile else None,
        "associate_public_ip_address": bool(instance.get("PublicIpAddress")),
        "monitoring": (instance.get("Monitoring") or {}).get("State") in {"enabled", "pending"},
        "metadata_options": _metadata_options(metadata) if metadata else None,
    }
    if volumes is not None:  # otherwise left out: the checks say indeterminate
        root = instance.get("RootDeviceName")
        attributes["root_block_device"] = None
        attributes["ebs_block_device"] = []
        for mapping in instance.get("BlockDeviceMappings", []):
            if "Ebs" not in mapping:
                continue
            volume = volumes.get(mapping["Ebs"].get("VolumeId", ""), {})
            device = {
                # Missing when the volume was not listed (attached since): indeterminate.
                **({"encrypted": bool(volume["Encrypted"])} if "Encrypted" in volume else {}),
                "kms_key_id": volume.get("KmsKeyId"),
                "volume_size": volume.get("Size"),
                "volume_type": volume.get("VolumeType"),
            }
            if mapping.get("DeviceName") == root:
                attributes["root_block_device"] = device
            else:
                device["device_name"] = mapping.get("DeviceName")
                device["snapshot_id"] = volume.get("SnapshotId") or None
                attributes["ebs_block_device"].append(device)
    tags = tag_map(instance.get("Tags"))
    address = c.arn("ec2", f"instance/{instance_id}")
    c.add("aws_instance", address, _name(tags, instance_id), attributes, tags)


def _metadata_options(options: dict[str, Any]) -> dict[str, Any]:
    hops = options.get("HttpPutResponseHopLimit")
    return {
        "http_endpoint": options.get("HttpEndpoint"),
        "http_tokens": options.get("HttpTokens"),
        "http_put_response_hop_limit": int(hops) if hops is not None else None,
        "instance_metadata_tags": options.get("InstanceMetadataTags"),
    }


def _template(c: Collection, ec2: Any, template: dict[str, Any]) -> None:
    # Terraform's aws_launch_template shows its latest version; instances launched without
    # a version get the default one, which may be older (recorded as default_version).
    [version] = ec2.describe_launch_template_versions(
        LaunchTemplateId=template["LaunchTemplateId"], Versions=["$Latest"]
    )["LaunchTemplateVersions"]
    data = version.get("LaunchTemplateData", {})
    metadata = data.get("MetadataOptions")
    monitoring = data.get("Monitoring")
    attributes: dict[str, Any] = {
        "name": template["LaunchTemplateName"],
        "image_id": data.get("ImageId"),
        "instance_type": data.get("InstanceType"),
        "latest_version": version.get("VersionNumber"),
        "default_version": template.get("DefaultVersionNumber"),
        "metadata_options": _metadata_options(metadata) if metadata else None,
        "monitoring": {"enabled": bool(monitoring.get("Enabled"))} if monitoring else None,
        "block_device_mappings": [
            _template_mapping(m) for m in data.get("BlockDeviceMappings", [])
        ],
        "network_interfaces": [
            {
                "device_index": n.get("DeviceIndex"),
                "subnet_id": n.get("SubnetId"),
                "associate_public_ip_address": n.get("AssociatePublicIpAddress"),
                "network_interface_id": n.get("NetworkInterfaceId"),
            }
            for n in data.get("NetworkInterfaces", [])
        ],
    }
    address = c.arn("ec2", f"launch-template/{template['LaunchTemplateId']}")
    c.add(
        "aws_launch_template",
        address,
        template["LaunchTemplateName"],
        attributes,
        tag_map(template.get("Tags")),
    )


def _template_mapping(mapping: dict[str, Any]) -> dict[str, Any]:
    ebs = mapping.get("Ebs")
    return {
        "device_name": mapping.get("DeviceName"),
        "no_device": mapping.get("NoDevice"),
        "virtual_name": mapping.get("VirtualName"),
        "ebs": {
            # Unset (null) leaves it to the snapshot and the account default: not asked for.
            "encrypted": ebs.get("Encrypted"),
            "kms_key_id": ebs.get("KmsKeyId"),
            "snapshot_id": ebs.get("SnapshotId"),
            "volume_size": ebs.get("VolumeSize"),
            "volume_type": ebs.get("VolumeType"),
        }
        if ebs
        else None,
    }


class _RootDevices:
    """The root device name of an image, read once: a launch configuration's mappings do
    not say which is the root volume, the image does (as Terraform reads it)."""

    def __init__(self, c: Collection, ec2: Any) -> None:
        self._c, self._ec2 = c, ec2
        self._cache: dict[str, str | None] = {}

    def of(self, image_id: str) -> str | None:
        if image_id not in self._cache:
            answer = (
                self._c.optional(self._ec2.describe_images, _IMAGE_GONE, ImageIds=[image_id]) or {}
            )
            images = answer.get("Images", [])
            self._cache[image_id] = images[0].get("RootDeviceName") if images else None
        return self._cache[image_id]


# A deregistered (or malformed) image id: no root device to learn, not a failure.
_IMAGE_GONE = {"InvalidAMIID.NotFound", "InvalidAMIID.Unavailable", "InvalidAMIID.Malformed"}


def _launch_configuration(c: Collection, roots: _RootDevices, config: dict[str, Any]) -> None:
    name = config["LaunchConfigurationName"]
    metadata = config.get("MetadataOptions")
    attributes: dict[str, Any] = {
        "image_id": config.get("ImageId", ""),
        "instance_type": config.get("InstanceType", ""),
        "iam_instance_profile": config.get("IamInstanceProfile"),
        "associate_public_ip_address": config.get("AssociatePublicIpAddress"),
        "enable_monitoring": bool((config.get("InstanceMonitoring") or {}).get("Enabled", True)),
        "metadata_options": _metadata_options(metadata) if metadata else None,
    }
    mappings = [m for m in config.get("BlockDeviceMappings", []) if "Ebs" in m]
    # Without the image (deregistered, or not readable) the root volume cannot be told
    # from the others: both attributes are left out and the checks say indeterminate.
    c.item(f"launch configuration {name}", attributes, "root", roots.of, attributes["image_id"])
    if attributes.get("root"):
        root = attributes.pop("root")
        attributes["root_block_device"] = None
        attributes["ebs_block_device"] = []
        for mapping in mappings:
            ebs = mapping["Ebs"]
            device = {"encrypted": ebs.get("Encrypted"), "volume_size": ebs.get("VolumeSize")}
            if mapping.get("DeviceName") == root:
                attributes["root_block_device"] = device | {"volume_type": ebs.get("VolumeType")}
            else:
                attributes["ebs_block_device"].append(
                    device
                    | {
                        "device_name": mapping.get("DeviceName"),
                        "snapshot_id": ebs.get("SnapshotId"),
                    }
                )
    attributes.pop("root", None)
    address = config.get("LaunchConfigurationARN") or c.arn(
        "autoscaling", f"launchConfiguration:*:launchConfigurationName/{name}"
    )
    c.add("aws_launch_configuration", address, name, attributes)


def _autoscaling_group(c: Collection, group: dict[str, Any]) -> None:
    template = group.get("LaunchTemplate")
    mixed = group.get("MixedInstancesPolicy")
    mixed_template = ((mixed or {}).get("LaunchTemplate") or {}).get(
        "LaunchTemplateSpecification"
    ) or {}
    attributes: dict[str, Any] = {
        "name": group["AutoScalingGroupName"],
        "launch_configuration": group.get("LaunchConfigurationName"),
        "launch_template": _template_spec(template) if template else None,
        "mixed_instances_policy": {"launch_template": {"launch_template_specification": {
            "launch_template_id": mixed_template.get("LaunchTemplateId"),
            "launch_template_name": mixed_template.get("LaunchTemplateName"),
            "version": mixed_template.get("Version"),
        }}}
        if mixed
        else None,
        "vpc_zone_identifier": [s for s in group.get("VPCZoneIdentifier", "").split(",") if s],
        "availability_zones": list(group.get("AvailabilityZones", [])),
        "health_check_type": group.get("HealthCheckType"),
        "load_balancers": list(group.get("LoadBalancerNames", [])),
        "target_group_arns": list(group.get("TargetGroupARNs", [])),
    }  # fmt: skip
    c.add(
        "aws_autoscaling_group",
        group.get("AutoScalingGroupARN")
        or c.arn("autoscaling", f"autoScalingGroup:*:autoScalingGroupName/{attributes['name']}"),
        attributes["name"],
        attributes,
        tag_map(group.get("Tags")),
    )


def _template_spec(template: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": template.get("LaunchTemplateId"),
        "name": template.get("LaunchTemplateName"),
        "version": template.get("Version"),
    }


def _snapshot(c: Collection, ec2: Any, snapshot: dict[str, Any]) -> None:
    snapshot_id = snapshot["SnapshotId"]
    attributes: dict[str, Any] = {
        "volume_id": snapshot.get("VolumeId", ""),
        "description": snapshot.get("Description"),
        "encrypted": bool(snapshot.get("Encrypted", False)),
        "kms_key_id": snapshot.get("KmsKeyId"),
    }
    c.item(f"snapshot {snapshot_id}", attributes, "shared_accounts", _shared, ec2, snapshot_id)
    tags = tag_map(snapshot.get("Tags"))
    address = c.arn("ec2", f"snapshot/{snapshot_id}")
    c.add("aws_ebs_snapshot", address, _name(tags, snapshot_id), attributes, tags)


def _shared(ec2: Any, snapshot_id: str) -> list[str]:
    """Accounts allowed to create volumes from the snapshot; "all" means public."""
    answer = ec2.describe_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission"
    )
    return [
        str(p.get("UserId") or p.get("Group"))
        for p in answer.get("CreateVolumePermissions", [])
        if p.get("UserId") or p.get("Group")
    ]


def _image(c: Collection, ec2: Any, image: dict[str, Any]) -> None:
    image_id = image["ImageId"]
    attributes = {
        "name": image.get("Name", ""),
        "description": image.get("Description"),
        "ebs_block_device": [
            {
                "device_name": m.get("DeviceName"),
                "encrypted": bool(m["Ebs"].get("Encrypted", False)),
                "snapshot_id": m["Ebs"].get("SnapshotId"),
                "volume_size": m["Ebs"].get("VolumeSize"),
            }
            for m in image.get("BlockDeviceMappings", [])
            if "Ebs" in m
        ],
    }
    tags = tag_map(image.get("Tags"))
    c.add(
        "aws_ami",
        c.arn("ec2", f"image/{image_id}"),
        attributes["name"] or image_id,
        attributes,
        tags,
    )
    # Each launch permission is its own resource, as in Terraform; read after the image is
    # added, so a failure here (recorded, the source partial) still keeps the image.
    answer = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
    for permission in answer.get("LaunchPermissions", []):
        who = {
            "group": permission.get("Group"),
            "account_id": permission.get("UserId"),
            "organization_arn": permission.get("OrganizationArn"),
            "organizational_unit_arn": permission.get("OrganizationalUnitArn"),
        }
        grantee = next((v for v in who.values() if v), "unknown")
        label = f"group/{grantee}" if who["group"] else grantee
        c.add(
            "aws_ami_launch_permission",
            c.arn("ec2", f"image/{image_id}/launch-permission/{label}"),
            f"{attributes['name'] or image_id} to {label}",
            {"image_id": image_id, **who},
        )


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeLaunchConfigurations",
    "ec2:DescribeImageAttribute",
    "ec2:DescribeImages",
    "ec2:DescribeInstances",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:DescribeLaunchTemplates",
    "ec2:DescribeSnapshotAttribute",
    "ec2:DescribeSnapshots",
    "ec2:DescribeVolumes",
)

SERVICE = Service("compute", collect, actions=ACTIONS)
