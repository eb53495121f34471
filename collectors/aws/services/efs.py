"""EFS file systems, with encryption and the automatic backup policy."""

from __future__ import annotations

from typing import Any

from collectors.aws.keys import effective_key
from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    efs = c.client("efs")
    for system in c.pages(efs, "describe_file_systems", "FileSystems"):
        c.each(f"file system {system['FileSystemId']}", _file_system, c, efs, system)


def _file_system(c: Collection, efs: Any, system: dict[str, Any]) -> None:
    system_id = system["FileSystemId"]
    encrypted = bool(system.get("Encrypted", False))
    attributes: dict[str, Any] = {
        "creation_token": system.get("CreationToken", ""),
        "encrypted": encrypted,
        # A key on an unencrypted file system protects nothing.
        "kms_key_id": system.get("KmsKeyId") if encrypted else None,
    }
    what = f"file system {system_id}"
    c.item(
        what, attributes, "kms_key_id", effective_key, c, attributes["kms_key_id"],
        "elasticfilesystem",
    )  # fmt: skip
    c.item(what, attributes, "backup_policy", _backup_policy, c, efs, system_id)
    address = system.get("FileSystemArn") or c.arn("elasticfilesystem", f"file-system/{system_id}")
    name = system.get("Name") or system_id  # the console's name: the Name tag
    c.add("aws_efs_file_system", address, name, attributes, tag_map(system.get("Tags")))


def _backup_policy(c: Collection, efs: Any, system_id: str) -> dict[str, Any] | None:
    answer = c.optional(efs.describe_backup_policy, {"PolicyNotFound"}, FileSystemId=system_id)
    if answer is None:
        return None  # never set: automatic backups off
    return {"status": answer.get("BackupPolicy", {}).get("Status")}


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "elasticfilesystem:DescribeBackupPolicy",
    "elasticfilesystem:DescribeFileSystems",
    "kms:DescribeKey",
)

SERVICE = Service("efs", collect, actions=ACTIONS)
