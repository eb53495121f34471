# ruff: noqa: E501 - plan fixtures read best one change per line
"""A Terraform plan written to the documented JSON format (format_version 1.2), with
modules nested three deep, count and for_each, unknown and sensitive values, a
replacement, a deletion, a data source and split S3 resources."""

from __future__ import annotations

from typing import Any

SENSITIVE_PASSWORD = "plan-password-never-printed-71c"
# An AWS-managed key: AWS-RDS-003 fails and its message would quote the key.
SENSITIVE_KEY = "arn:aws:kms:eu-west-1:111111111111:alias/aws/rds-sensitive-0042"
DEEP = "module.app.module.data.module.store"

TLS_ONLY = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",'
    '"Resource":["arn:aws:s3:::corp-logs","arn:aws:s3:::corp-logs/*"],'
    '"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'
)


def resource_change(
    address: str,
    kind: str,
    after: dict[str, Any] | None,
    actions: list[str],
    unknown: dict[str, Any] | None = None,
    sensitive: dict[str, Any] | None = None,
    module: str = "",
    mode: str = "managed",
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "address": address,
        "mode": mode,
        "type": kind,
        "name": address.rsplit(".", 1)[-1].split("[")[0],
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {
            "actions": actions,
            "before": None,
            "after": after,
            "after_unknown": unknown or {},
            "after_sensitive": sensitive or {},
        },
    }
    if module:
        entry["module_address"] = module
    return entry


def _split(
    kind: str, name: str, after: dict[str, Any], unknown: dict[str, Any] | None = None
) -> dict[str, Any]:
    # The bucket's id is known only after apply: the fold must follow the reference.
    return resource_change(
        f"{kind}.{name}", kind, after, ["create"], {"bucket": True, **(unknown or {})}
    )


def plan() -> dict[str, Any]:
    block = {"block_public_acls": True, "block_public_policy": True, "ignore_public_acls": True,
             "restrict_public_buckets": True}  # fmt: skip
    database = {
        "engine": "postgres",
        "engine_version": "16.3",
        "instance_class": "db.m6g.large",
        "publicly_accessible": False,
        "backup_retention_period": 14,
        "multi_az": True,
        "deletion_protection": True,
        "iam_database_authentication_enabled": True,
        "vpc_security_group_ids": ["sg-1"],
        "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"],
        "copy_tags_to_snapshot": True,
        "auto_minor_version_upgrade": True,
        "username": "app_owner",
        "monitoring_interval": 60,
        "performance_insights_enabled": None,  # left out: the provider's default, off
        "ca_cert_identifier": "rds-ca-rsa2048-g1",
        "parameter_group_name": "store-tls",
        "password": SENSITIVE_PASSWORD,
        "tags": {"DataClassification": "pii", "Environment": "production"},
    }
    changes = [
        resource_change("aws_s3_bucket.logs", "aws_s3_bucket", {"bucket": None, "tags": {"Purpose": "app"}},
                ["create"], {"bucket": True, "id": True, "arn": True}),
        _split("aws_s3_bucket_versioning", "logs", {"versioning_configuration": [{"status": "Enabled"}]}),
        _split("aws_s3_bucket_public_access_block", "logs", block),
        _split("aws_s3_bucket_server_side_encryption_configuration", "logs",
               {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms",
                                                                        "kms_master_key_id": None}],
                          "bucket_key_enabled": True}]},
               {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": True}]}]}),
        _split("aws_s3_bucket_policy", "logs", {"policy": TLS_ONLY}),
        _split("aws_s3_bucket_logging", "logs", {"target_bucket": "corp-audit", "target_prefix": "logs/"}),
        # count: two instances, the second's encryption known only after apply
        resource_change(f"{DEEP}.aws_db_instance.main[0]", "aws_db_instance",
                {**database, "storage_encrypted": True, "kms_key_id": SENSITIVE_KEY}, ["create"],
                {"kms_key_id": False}, {"password": True, "kms_key_id": True}, module=DEEP),
        resource_change(f"{DEEP}.aws_db_instance.main[1]", "aws_db_instance",
                {**database, "storage_encrypted": None, "kms_key_id": None}, ["create"],
                {"storage_encrypted": True, "kms_key_id": True}, {"password": True}, module=DEEP),
        resource_change(f"{DEEP}.aws_db_parameter_group.tls", "aws_db_parameter_group",
                {"name": "store-tls", "family": "postgres16",
                 "parameter": [{"name": "rds.force_ssl", "value": "1", "apply_method": "immediate"}]},
                ["create"], module=DEEP),
        # for_each module instance
        resource_change('module.edge["eu"].aws_security_group.web', "aws_security_group",
                {"name": "web", "description": "web", "vpc_id": "vpc-1", "egress": [],
                 "ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22,
                              "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [], "description": None,
                              "self": False, "security_groups": [], "prefix_list_ids": []}]},
                ["create"], module='module.edge["eu"]'),
        # replaced: judged on the new state
        resource_change("aws_kms_key.main", "aws_kms_key",
                {"description": "main", "enable_key_rotation": False, "is_enabled": True,
                 "key_usage": "ENCRYPT_DECRYPT", "customer_master_key_spec": "SYMMETRIC_DEFAULT",
                 "multi_region": False, "policy": None},
                ["delete", "create"], {"arn": True, "key_id": True, "policy": True}),
        # deleted: not judged
        resource_change("aws_s3_bucket.old", "aws_s3_bucket", None, ["delete"]),
        # read: not a resource the plan creates
        resource_change("data.aws_iam_policy_document.read", "aws_iam_policy_document", {"json": "{}"}, ["read"],
                mode="data"),
        # unchanged: still part of the estate after apply
        resource_change("aws_cloudwatch_log_group.keep", "aws_cloudwatch_log_group",
                {"name": "keep", "retention_in_days": 400, "kms_key_id": "arn:aws:kms:eu-west-1:111111111111:key/logs"},
                ["no-op"]),
    ]  # fmt: skip
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "timestamp": "2026-11-23T10:00:00Z",
        "resource_changes": changes,
        "configuration": {
            **_configuration(),
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}
            },
        },
    }


def _configuration() -> dict[str, Any]:
    def split(kind: str) -> dict[str, Any]:
        return {"address": f"{kind}.logs", "mode": "managed", "type": kind, "name": "logs",
                "expressions": {"bucket": {"references": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]}}}  # fmt: skip

    store = {
        "resources": [
            {"address": "aws_db_instance.main", "mode": "managed", "type": "aws_db_instance", "name": "main",
             "expressions": {"parameter_group_name": {"references": ["aws_db_parameter_group.tls.name",
                                                                      "aws_db_parameter_group.tls"]}}},
        ]
    }  # fmt: skip
    return {
        "root_module": {
            "resources": [
                split("aws_s3_bucket_versioning"),
                split("aws_s3_bucket_public_access_block"),
                split("aws_s3_bucket_server_side_encryption_configuration"),
                split("aws_s3_bucket_policy"),
                split("aws_s3_bucket_logging"),
            ],
            "module_calls": {
                "app": {
                    "module": {
                        "module_calls": {
                            "data": {"module": {"module_calls": {"store": {"module": store}}}}
                        }
                    }
                },
            },
        }
    }
