package checks.aws.elasticache.automatic_backups_test

import data.checks.aws.elasticache.automatic_backups as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC-004",
	"title": "ElastiCache replication group without automatic backups",
	"description": "With a snapshot retention of 0 (the default) ElastiCache takes no daily snapshot, so data held only in Redis or Valkey (sessions, queues, state not rebuilt from another store) is lost for good when the group is deleted, corrupted or flushed.",
	"severity": "medium",
	"resource_types": ["aws_elasticache_replication_group"],
	"controls": {"gdpr": ["Art.32(1)(c)"], "hipaa": ["164.308(a)(7)(ii)(A)"], "iso27001": ["A.8.13"], "pci_dss": ["12.10.1"], "soc2": ["A1.2"]},
	"remediation": "Set snapshot_retention_limit to the number of days daily snapshots must be kept (1 to 35) and a snapshot_window outside peak hours.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/elasticache", "status": "complete"}],
	"resources": resources,
}

_with_parameters(resources, parameters) := object.union(_inventory(resources), {"parameters": parameters})

_resource(type, name, tags, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": tags,
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_group(attributes, unknown) := _resource("aws_elasticache_replication_group", "sessions", {}, attributes, unknown)

test_pass_daily_snapshots if {
	r := _group({"snapshot_retention_limit": 7}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_zero if {
	r := _group({"snapshot_retention_limit": 0}, [])
	check.findings == {expect.fail(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\" takes no automatic backups (snapshot_retention_limit = 0)",
	)} with input as _inventory([r])
}

test_fail_never_set if {
	r := _group({"snapshot_retention_limit": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\" takes no automatic backups (snapshot_retention_limit = null)",
	)} with input as _inventory([r])
}

test_missing_limit if {
	r := _group({"engine": "valkey"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": snapshot_retention_limit is missing from the inventory", ["snapshot_retention_limit"],
	)} with input as _inventory([r])
}

test_unknown_limit if {
	r := _group({}, ["snapshot_retention_limit"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": snapshot_retention_limit is known only after apply", ["snapshot_retention_limit"],
	)} with input as _inventory([r])
}

test_missing_shape_limit_as_text if {
	r := _group({"snapshot_retention_limit": "7"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": snapshot_retention_limit is not a number of days (\"7\")", ["snapshot_retention_limit"],
	)} with input as _inventory([r])
}

test_missing_shape_negative_limit if {
	r := _group({"snapshot_retention_limit": -1}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": snapshot_retention_limit is not a number of days (-1)", ["snapshot_retention_limit"],
	)} with input as _inventory([r])
}
