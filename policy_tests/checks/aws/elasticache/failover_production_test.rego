package checks.aws.elasticache.failover_production_test

import data.checks.aws.elasticache.failover_production as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC-005",
	"title": "Production ElastiCache replication group without automatic failover and Multi-AZ",
	"description": "Without automatic failover a failed primary node stays down until someone promotes a replica by hand; without Multi-AZ the replicas may share the primary's availability zone and go down with it. A production cache or data store needs both to survive a node or zone failure.",
	"severity": "medium",
	"resource_types": ["aws_elasticache_replication_group"],
	"controls": {"gdpr": ["Art.32(1)(b)"], "hipaa": ["164.308(a)(7)(ii)(C)"], "iso27001": ["A.8.14"], "soc2": ["A1.2"]},
	"remediation": "Give the group at least one replica (num_cache_clusters of 2 or more, or replicas_per_node_group of 1 or more) in other availability zones and set automatic_failover_enabled = true and multi_az_enabled = true.",
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

_group(environment, attributes, unknown) := _resource("aws_elasticache_replication_group", "sessions", {"Environment": environment}, attributes, unknown)

test_pass_failover_and_multi_az if {
	r := _group("production", {"automatic_failover_enabled": true, "multi_az_enabled": true}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_both_off if {
	r := _group("production", {"automatic_failover_enabled": false, "multi_az_enabled": false}, [])
	check.findings == {expect.fail(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"production ElastiCache replication group \"sessions\" does not fail over across availability zones on its own (automatic_failover_enabled = false, multi_az_enabled = false)",
	)} with input as _inventory([r])
}

test_fail_multi_az_never_set if {
	r := _group("production", {"automatic_failover_enabled": true, "multi_az_enabled": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"production ElastiCache replication group \"sessions\" does not fail over across availability zones on its own (multi_az_enabled = null)",
	)} with input as _inventory([r])
}

# One setting off fails whatever the other will be.
test_fail_failover_off_multi_az_unknown if {
	r := _group("production", {"automatic_failover_enabled": false}, ["multi_az_enabled"])
	check.findings == {expect.fail(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"production ElastiCache replication group \"sessions\" does not fail over across availability zones on its own (automatic_failover_enabled = false)",
	)} with input as _inventory([r])
}

test_pass_non_production_out_of_scope if {
	r := _group("staging", {"automatic_failover_enabled": false, "multi_az_enabled": false}, [])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_missing_both if {
	r := _group("production", {"engine": "redis"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": automatic_failover_enabled is missing from the inventory; multi_az_enabled is missing from the inventory",
		["automatic_failover_enabled", "multi_az_enabled"],
	)} with input as _inventory([r])
}

test_unknown_multi_az if {
	r := _group("production", {"automatic_failover_enabled": true}, ["multi_az_enabled"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": multi_az_enabled is known only after apply", ["multi_az_enabled"],
	)} with input as _inventory([r])
}

test_missing_shape_not_boolean if {
	r := _group("production", {"automatic_failover_enabled": "enabled", "multi_az_enabled": true}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": automatic_failover_enabled is not a boolean", ["automatic_failover_enabled"],
	)} with input as _inventory([r])
}
