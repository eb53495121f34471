"""EBS: encryption by default (per account and region) and snapshot sharing."""

from __future__ import annotations

from typing import Any

from remediators.aws._common import AwsFixer, account_of, region_of
from remediators.base import Change


class EncryptionByDefault(AwsFixer):
    check_id = "AWS-EBS-002"
    resource_types = ("aws_ebs_encryption_by_default",)
    service = "ec2"
    actions = (
        "ec2:DisableEbsEncryptionByDefault",
        "ec2:EnableEbsEncryptionByDefault",
        "ec2:GetEbsEncryptionByDefault",
    )

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        ec2 = target.client("ec2", region_of(resource))
        return bool(ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"])

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return True

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        ec2 = target.client("ec2", region_of(resource))
        if value:
            ec2.enable_ebs_encryption_by_default()
        else:
            ec2.disable_ebs_encryption_by_default()

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        account, region = account_of(resource), region_of(resource)
        return Change(
            summary=f"Turn on EBS encryption by default in account {account}, region {region}",
            setting="EbsEncryptionByDefault",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"every new EBS volume and snapshot copy in {region} of account {account} is "
                "encrypted with the default EBS key; existing volumes are unchanged",
                f"instance types without EBS encryption support can no longer launch in {region}"
                f" of account {account}; roles launching instances from a customer-managed "
                "default key need kms permissions on it",
            ),
            impact="account",
        )


class SnapshotNotPublic(AwsFixer):
    check_id = "AWS-EBS-004"
    resource_types = ("aws_ebs_snapshot",)
    service = "compute"
    actions = ("ec2:DescribeSnapshotAttribute", "ec2:ModifySnapshotAttribute")

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        """Who may create volumes from the snapshot: account ids and "all", sorted."""
        ec2 = target.client("ec2", region_of(resource))
        answer = ec2.describe_snapshot_attribute(
            SnapshotId=_snapshot_id(resource), Attribute="createVolumePermission"
        )
        return sorted(
            str(p.get("UserId") or p.get("Group"))
            for p in answer.get("CreateVolumePermissions", [])
            if p.get("UserId") or p.get("Group")
        )

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return [a for a in current or [] if a.lower() != "all"]

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        # Only the difference is sent: accounts shared with on purpose stay shared.
        now = set(self.read(target, resource))
        wanted = set(value or [])
        ec2 = target.client("ec2", region_of(resource))
        for operation, who in (("add", wanted - now), ("remove", now - wanted)):
            if not who:
                continue
            groups = sorted(w for w in who if w.lower() == "all")
            users = sorted(w for w in who if w.lower() != "all")
            ec2.modify_snapshot_attribute(
                SnapshotId=_snapshot_id(resource),
                Attribute="createVolumePermission",
                OperationType=operation,
                **({"GroupNames": groups} if groups else {}),
                **({"UserIds": users} if users else {}),
            )

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        snapshot = _snapshot_id(resource)
        kept = ", ".join(proposed) if proposed else "none"
        return Change(
            summary=f"Stop sharing EBS snapshot {snapshot} ({resource['name']}) publicly",
            setting="createVolumePermission",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"accounts outside the list ({kept}) can no longer create volumes from "
                f"snapshot {snapshot}; volumes they already made stay theirs",
            ),
        )


def _snapshot_id(resource: dict[str, Any]) -> str:
    # The address is arn:...:ec2:REGION:ACCOUNT:snapshot/snap-...; the name may be a tag.
    return str(resource["address"]).rsplit("/", 1)[-1]


FIXERS = (EncryptionByDefault(), SnapshotNotPublic())
