"""FSx file systems of every kind, typed as Terraform's resource for that kind."""

from __future__ import annotations

from typing import Any

from collectors.aws.keys import effective_key
from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

# FileSystemType -> (Terraform type, the answer's configuration block)
KINDS = {
    "LUSTRE": ("aws_fsx_lustre_file_system", "LustreConfiguration"),
    "ONTAP": ("aws_fsx_ontap_file_system", "OntapConfiguration"),
    "OPENZFS": ("aws_fsx_openzfs_file_system", "OpenZFSConfiguration"),
    "WINDOWS": ("aws_fsx_windows_file_system", "WindowsConfiguration"),
}


def collect(c: Collection) -> None:
    fsx = c.client("fsx")
    for system in c.pages(fsx, "describe_file_systems", "FileSystems"):
        if system.get("FileSystemType") in KINDS:
            c.each(f"file system {system['FileSystemId']}", _file_system, c, system)


def _file_system(c: Collection, system: dict[str, Any]) -> None:
    system_id = system["FileSystemId"]
    kind, block = KINDS[system["FileSystemType"]]
    configuration = system.get(block) or {}
    attributes: dict[str, Any] = {
        # FSx always encrypts; no key named means the AWS-managed aws/fsx key.
        "kms_key_id": system.get("KmsKeyId"),
        "storage_capacity": system.get("StorageCapacity"),
    }
    if "AutomaticBackupRetentionDays" in configuration:  # else unknown: the checks say so
        days = configuration["AutomaticBackupRetentionDays"]
        attributes["automatic_backup_retention_days"] = int(days) if days is not None else None
    if kind == "aws_fsx_lustre_file_system":
        attributes["deployment_type"] = configuration.get("DeploymentType")
    c.item(
        f"file system {system_id}", attributes, "kms_key_id", effective_key, c,
        attributes["kms_key_id"], "fsx",
    )  # fmt: skip
    tags = tag_map(system.get("Tags"))
    address = system.get("ResourceARN") or c.arn("fsx", f"file-system/{system_id}")
    c.add(kind, address, tags.get("Name") or system_id, attributes, tags)


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "fsx:DescribeFileSystems",
    "kms:DescribeKey",
)

SERVICE = Service("fsx", collect, actions=ACTIONS)
