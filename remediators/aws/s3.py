"""S3 bucket settings and the account-level public access block."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from remediators.aws._common import AwsFixer, account_of, region_of
from remediators.base import Change

BLOCK_FLAGS = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}
ALL_ON = dict.fromkeys(BLOCK_FLAGS, True)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _block_from_api(block: dict[str, Any]) -> dict[str, bool]:
    return {name: bool(block.get(key, False)) for name, key in BLOCK_FLAGS.items()}


def _block_to_api(value: dict[str, Any]) -> dict[str, bool]:
    return {key: bool(value.get(name, False)) for name, key in BLOCK_FLAGS.items()}


def _bucket(resource: dict[str, Any]) -> str:
    return str((resource.get("attributes") or {}).get("bucket") or resource["name"])


class _PublicAccessBlock(AwsFixer):
    """The four public access block flags, of a bucket (s3) or an account (s3control):
    one API shape on two clients. Rollback to "none" deletes the block, which the Put
    action authorizes."""

    client_name = "s3"

    def where(self, resource: dict[str, Any]) -> dict[str, str]:
        """The call's parameter naming the bucket or the account."""
        raise NotImplementedError

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        client = target.client(self.client_name, region_of(resource))
        try:
            answer = client.get_public_access_block(**self.where(resource))
        except ClientError as exc:
            if _code(exc) == "NoSuchPublicAccessBlockConfiguration":
                return None
            raise
        return _block_from_api(answer["PublicAccessBlockConfiguration"])

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return dict(ALL_ON)

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        client = target.client(self.client_name, region_of(resource))
        if value is None:
            client.delete_public_access_block(**self.where(resource))
            return
        client.put_public_access_block(
            **self.where(resource), PublicAccessBlockConfiguration=_block_to_api(value)
        )


class BucketPublicAccessBlock(_PublicAccessBlock):
    check_id = "AWS-S3-001"
    resource_types = ("aws_s3_bucket",)
    service = "s3"
    actions = ("s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock")

    def where(self, resource: dict[str, Any]) -> dict[str, str]:
        return {"Bucket": _bucket(resource)}

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        bucket = _bucket(resource)
        return Change(
            summary=f"Turn on all four public access block settings of S3 bucket {bucket}",
            setting="PublicAccessBlockConfiguration",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"anonymous and cross-account public reads of objects in bucket {bucket} "
                "through public ACLs or a public bucket policy stop working",
                f"new public ACLs and public bucket policies on bucket {bucket} are refused",
            ),
        )


# The rule as GetBucketEncryption gives it back, so a read after the write compares equal.
AES256_RULES = {
    "Rules": [
        {
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
            "BucketKeyEnabled": False,
        }
    ],
}


class BucketDefaultEncryption(AwsFixer):
    check_id = "AWS-S3-002"
    resource_types = ("aws_s3_bucket",)
    service = "s3"
    # DeleteBucketEncryption (rollback to "none") is authorized by the Put action.
    actions = ("s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration")

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        """The ServerSideEncryptionConfiguration as the API gives it, None when absent."""
        s3 = target.client("s3", region_of(resource))
        try:
            answer = s3.get_bucket_encryption(Bucket=_bucket(resource))
        except ClientError as exc:
            if _code(exc) == "ServerSideEncryptionConfigurationNotFoundError":
                return None
            raise
        config = answer.get("ServerSideEncryptionConfiguration") or {}
        rules = config.get("Rules") or []
        return {"Rules": rules} if rules else None

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        # A rule that names an algorithm (an existing KMS key above all) is kept as it is.
        if isinstance(current, dict) and _algorithm(current):
            return current
        return AES256_RULES

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        s3 = target.client("s3", region_of(resource))
        if value is None:
            s3.delete_bucket_encryption(Bucket=_bucket(resource))
            return
        s3.put_bucket_encryption(Bucket=_bucket(resource), ServerSideEncryptionConfiguration=value)

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        bucket = _bucket(resource)
        algorithm = _algorithm(proposed) or "AES256"
        return Change(
            summary=f"Set default encryption of S3 bucket {bucket} to {algorithm}",
            setting="ServerSideEncryptionConfiguration",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"new objects written to bucket {bucket} without their own encryption "
                f"header are encrypted with {algorithm}; existing objects are not re-encrypted",
                "rolling back deletes the rule; S3 then applies its own SSE-S3 default",
            ),
        )


def _algorithm(config: Any) -> str:
    if not isinstance(config, dict):
        return ""
    for rule in config.get("Rules") or []:
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        algorithm = default.get("SSEAlgorithm")
        if isinstance(algorithm, str) and algorithm.strip():
            return algorithm
    return ""


class BucketVersioning(AwsFixer):
    check_id = "AWS-S3-004"
    resource_types = ("aws_s3_bucket",)
    service = "s3"
    actions = ("s3:GetBucketVersioning", "s3:PutBucketVersioning")

    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        """ "Enabled", "Suspended", or None when versioning was never configured."""
        s3 = target.client("s3", region_of(resource))
        status = s3.get_bucket_versioning(Bucket=_bucket(resource)).get("Status")
        return status or None

    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        return "Enabled"

    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        # A bucket once versioned can never return to "never configured": None is
        # written as Suspended, the nearest state (describe says so).
        s3 = target.client("s3", region_of(resource))
        s3.put_bucket_versioning(
            Bucket=_bucket(resource), VersioningConfiguration={"Status": value or "Suspended"}
        )

    def restored(self, before: Any, now: Any) -> bool:
        return bool((before or "Suspended") == now)

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        bucket = _bucket(resource)
        radius = [
            f"every overwrite and delete in bucket {bucket} keeps the earlier object version, "
            "which is billed as storage until a lifecycle rule expires it",
        ]
        if current is None:
            radius.append(
                f"bucket {bucket} has never been versioned: a rollback cannot restore that, "
                "it writes Suspended (versions already kept stay)"
            )
        return Change(
            summary=f"Enable versioning on S3 bucket {bucket}",
            setting="VersioningConfiguration.Status",
            current=current,
            proposed=proposed,
            blast_radius=tuple(radius),
        )


class AccountPublicAccessBlock(_PublicAccessBlock):
    check_id = "AWS-S3-101"
    resource_types = ("aws_s3_account_public_access_block",)
    service = "s3control"
    client_name = "s3control"
    actions = ("s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock")

    def where(self, resource: dict[str, Any]) -> dict[str, str]:
        return {"AccountId": _account(resource)}

    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        account = _account(resource)
        return Change(
            summary=f"Turn on all four S3 public access block settings of account {account}",
            setting="PublicAccessBlockConfiguration",
            current=current,
            proposed=proposed,
            blast_radius=(
                f"every bucket and access point of account {account}, in every region: "
                "anonymous and cross-account public access through ACLs or bucket policies "
                "stops working, including static websites served straight from S3",
                f"new public ACLs and public bucket policies anywhere in account {account} "
                "are refused",
            ),
            impact="account",
        )


def _account(resource: dict[str, Any]) -> str:
    attributes = resource.get("attributes") or {}
    return str(attributes.get("account_id") or account_of(resource))


FIXERS = (
    BucketPublicAccessBlock(),
    BucketDefaultEncryption(),
    BucketVersioning(),
    AccountPublicAccessBlock(),
)
