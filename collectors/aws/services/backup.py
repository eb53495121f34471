"""AWS Backup vaults with their Vault Lock."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    backup = c.client("backup")
    for vault in c.pages(backup, "list_backup_vaults", "BackupVaultList"):
        arn = vault["BackupVaultArn"]
        name = vault["BackupVaultName"]
        attributes: dict[str, Any] = {
            "name": name,
            "kms_key_arn": vault.get("EncryptionKeyArn"),
            "lock_configuration": _lock(vault),
        }
        tags: dict[str, Any] = {}
        c.item(f"vault {name}", tags, "tags", _tags, backup, arn)
        c.add("aws_backup_vault", arn, name, attributes, tags.get("tags", {}))


def _lock(vault: dict[str, Any]) -> dict[str, Any] | None:
    if not vault.get("Locked") and vault.get("MinRetentionDays") is None:
        return None
    # The API gives the lock date, not the grace period Terraform was given, so
    # changeable_for_days is not known from a live account.
    return {
        "min_retention_days": vault.get("MinRetentionDays"),
        "max_retention_days": vault.get("MaxRetentionDays"),
        "changeable_for_days": None,
    }


def _tags(backup: Any, arn: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    token: dict[str, str] = {}
    while True:  # ListTags pages with NextToken and has no botocore paginator
        page = backup.list_tags(ResourceArn=arn, **token)
        tags |= tag_map(page.get("Tags"))
        if not page.get("NextToken"):
            return tags
        token = {"NextToken": page["NextToken"]}


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "backup:ListBackupVaults",
    "backup:ListTags",
)

SERVICE = Service("backup", collect, actions=ACTIONS)
