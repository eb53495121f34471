"""Tell customer-managed KMS keys from AWS-managed ones.

Services report the AWS-managed key (aws/rds, aws/dynamodb) by its key ARN, which
looks like any customer key. The checks (and Terraform) name it by its alias, so
the collector asks KMS who manages the key and writes the alias ARN for AWS's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only a type here: importing the services package would import the services that
    # import this module, so loading this module first failed.
    from collectors.aws.services.base import Collection


def effective_key(c: Collection, key: str | None, service: str) -> str | None:
    if not key or ":alias/" in key or key.startswith("alias/"):
        return key
    parts = key.split(":")
    region = parts[3] if len(parts) > 5 and parts[3] else c.client_region
    manager = c.account.key_manager(key, lambda: _describe_manager(c, key, region))
    if manager == "AWS":
        return f"arn:{c.partition}:kms:{region}:{c.account_id}:alias/aws/{service}"
    return key


def _describe_manager(c: Collection, key: str, region: str) -> str:
    metadata = c.client("kms", region).describe_key(KeyId=key)["KeyMetadata"]
    return str(metadata.get("KeyManager", "CUSTOMER"))
