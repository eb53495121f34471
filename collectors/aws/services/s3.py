"""S3 buckets, with the configuration Terraform splits into separate resources folded in."""

from __future__ import annotations

import json
from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

# S3 returns each bucket's region in the listing only when the request is paged.
LISTING_PAGE = {"PageSize": 1000}


def collect(c: Collection) -> None:
    # The listing is account-wide; each bucket is read through a client of its own region.
    s3 = c.client("s3")
    for bucket in c.pages(s3, "list_buckets", "Buckets", PaginationConfig=LISTING_PAGE):
        c.each(f"bucket {bucket['Name']}", _listed_bucket, c, s3, bucket)


def _listed_bucket(c: Collection, s3: Any, bucket: dict[str, Any]) -> None:
    name = bucket["Name"]
    region = bucket.get("BucketRegion") or _location(s3, name)
    if c.regions and region not in c.regions:
        return  # outside the regions this run was asked for
    _bucket(c, c.client("s3", region), name, region)


def _location(s3: Any, name: str) -> str:
    constraint = s3.get_bucket_location(Bucket=name).get("LocationConstraint")
    # No constraint means us-east-1; "EU" is the legacy name of eu-west-1.
    return str({None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(constraint, constraint))


def _bucket(c: Collection, s3: Any, name: str, region: str) -> None:
    attributes: dict[str, Any] = {"bucket": name}
    what = f"bucket {name}"
    c.item(what, attributes, "public_access_block", _public_access_block, c, s3, name)
    c.item(what, attributes, "versioning", _versioning, s3, name)
    c.item(what, attributes, "server_side_encryption", _encryption, c, s3, name)
    c.item(what, attributes, "logging", _logging, s3, name)
    c.item(what, attributes, "policy", _policy, c, s3, name)
    c.item(what, attributes, "object_lock_configuration", _object_lock, c, s3, name)
    c.item(what, attributes, "grants", _grants, s3, name)
    if "grants" in attributes:
        attributes["acl"] = None  # the API gives the grants, never the canned ACL's name
    c.item(what, attributes, "object_ownership", _object_ownership, c, s3, name)
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _tags, c, s3, name)
    c.add(
        "aws_s3_bucket",
        f"arn:{c.partition}:s3:::{name}",
        name,
        attributes,
        tags.get("tags", {}),
        region=region,
    )


def _public_access_block(c: Collection, s3: Any, name: str) -> dict[str, bool] | None:
    answer = c.optional(
        s3.get_public_access_block, {"NoSuchPublicAccessBlockConfiguration"}, Bucket=name
    )
    if answer is None:
        return None
    block = answer["PublicAccessBlockConfiguration"]
    return {
        "block_public_acls": bool(block.get("BlockPublicAcls", False)),
        "block_public_policy": bool(block.get("BlockPublicPolicy", False)),
        "ignore_public_acls": bool(block.get("IgnorePublicAcls", False)),
        "restrict_public_buckets": bool(block.get("RestrictPublicBuckets", False)),
    }


def _versioning(s3: Any, name: str) -> dict[str, str | None] | None:
    answer = s3.get_bucket_versioning(Bucket=name)
    status = answer.get("Status")
    if not status:
        return None  # no status: never configured
    # MFADelete is returned only once it has been configured: absent means off.
    return {"status": status, "mfa_delete": answer.get("MFADelete")}


def _encryption(c: Collection, s3: Any, name: str) -> dict[str, Any] | None:
    answer = c.optional(
        s3.get_bucket_encryption, {"ServerSideEncryptionConfigurationNotFoundError"}, Bucket=name
    )
    rules = (answer or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    if not rules:
        return None
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
    return {
        "sse_algorithm": default.get("SSEAlgorithm", ""),
        "kms_master_key_id": default.get("KMSMasterKeyID"),
        "bucket_key_enabled": bool(rules[0].get("BucketKeyEnabled", False)),
    }


def _logging(s3: Any, name: str) -> dict[str, Any] | None:
    enabled = s3.get_bucket_logging(Bucket=name).get("LoggingEnabled")
    if not enabled:
        return None
    return {"target_bucket": enabled["TargetBucket"], "target_prefix": enabled.get("TargetPrefix")}


def _policy(c: Collection, s3: Any, name: str) -> dict[str, Any] | None:
    answer = c.optional(s3.get_bucket_policy, {"NoSuchBucketPolicy"}, Bucket=name)
    if answer is None:
        return None
    document: dict[str, Any] = json.loads(answer["Policy"])
    return document


def _grants(s3: Any, name: str) -> list[dict[str, str | None]]:
    """The bucket ACL, one permission per grant (the grantee's display name left out)."""
    return [
        {
            "type": grant.get("Grantee", {}).get("Type"),
            "uri": grant.get("Grantee", {}).get("URI"),
            "id": grant.get("Grantee", {}).get("ID"),
            "permission": grant.get("Permission"),
        }
        for grant in s3.get_bucket_acl(Bucket=name).get("Grants", [])
    ]


def _object_ownership(c: Collection, s3: Any, name: str) -> str | None:
    answer = c.optional(
        s3.get_bucket_ownership_controls, {"OwnershipControlsNotFoundError"}, Bucket=name
    )
    rules = (answer or {}).get("OwnershipControls", {}).get("Rules", [])
    return str(rules[0]["ObjectOwnership"]) if rules else None  # None: ACLs in force


def _object_lock(c: Collection, s3: Any, name: str) -> dict[str, Any] | None:
    answer = c.optional(
        s3.get_object_lock_configuration, {"ObjectLockConfigurationNotFoundError"}, Bucket=name
    )
    config = (answer or {}).get("ObjectLockConfiguration")
    if not config or config.get("ObjectLockEnabled") != "Enabled":
        return None
    retention = config.get("Rule", {}).get("DefaultRetention")
    rule = None
    if retention:
        rule = {
            "default_retention": {
                "mode": retention.get("Mode"),
                "days": retention.get("Days") or None,  # the API may say 0 for "not set"
                "years": retention.get("Years") or None,
            }
        }
    return {"object_lock_enabled": "Enabled", "rule": rule}


def _tags(c: Collection, s3: Any, name: str) -> dict[str, str]:
    answer = c.optional(s3.get_bucket_tagging, {"NoSuchTagSet"}, Bucket=name)
    return tag_map((answer or {}).get("TagSet"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "s3:GetBucketAcl",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetEncryptionConfiguration",
    "s3:ListAllMyBuckets",
)

SERVICE = Service("s3", collect, is_global=True, actions=ACTIONS)
