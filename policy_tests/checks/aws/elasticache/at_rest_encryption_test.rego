package checks.aws.elasticache.at_rest_encryption_test

import data.checks.aws.elasticache.at_rest_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC-001",
	"title": "ElastiCache replication group not encrypted at rest",
	"description": "Without at-rest encryption, cached data, backups and swap on the cache nodes' disks are stored unencrypted; caches often hold session data, tokens and copies of database rows.",
	"severity": "high",
	"resource_types": ["aws_elasticache_replication_group"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set at_rest_encryption_enabled = true with a customer-managed kms_key_id. It cannot be turned on for an existing group: create an encrypted group from a backup and switch the clients to it.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/elasticache", "status": "complete"}],
	"resources": resources,
}

_group(attributes) := {
	"address": "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions",
	"type": "aws_elasticache_replication_group",
	"provider": "aws",
	"name": "sessions",
	"attributes": attributes,
	"sensitive": ["auth_token"],
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_at_rest if {
	r := _group({"engine": "redis", "at_rest_encryption_enabled": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000014"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_not_encrypted_at_rest if {
	r := _group({"engine": "redis", "at_rest_encryption_enabled": false, "auth_token": "s3cr3t-token-value"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions",
		"aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\" stores data unencrypted (at_rest_encryption_enabled = false)",
	)}
	every f in findings {
		not contains(f.message, "s3cr3t")
	}
}

test_missing_at_rest_encryption_enabled if {
	r := _group({"engine": "redis"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions",
		"aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": at_rest_encryption_enabled is missing from the inventory",
		["at_rest_encryption_enabled"],
	)}
}

test_unknown_at_rest_encryption_enabled if {
	r := object.union(_group({"at_rest_encryption_enabled": false}), {"unknown": ["at_rest_encryption_enabled"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions",
		"aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": at_rest_encryption_enabled is known only after apply",
		["at_rest_encryption_enabled"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	volume := {
		"address": "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a1b2c3d4e5f60001",
		"type": "aws_ebs_volume",
		"provider": "aws",
		"name": "etl-scratch",
		"attributes": {"at_rest_encryption_enabled": false},
	}
	count(check.findings) == 0 with input as _inventory([volume])
	count(check.resources) == 0 with input as _inventory([volume])
}
