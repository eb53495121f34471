package checks.aws.elasticache.authentication_test

import data.checks.aws.elasticache.authentication as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC-003",
	"title": "ElastiCache replication group without AUTH or RBAC",
	"description": "Without an AUTH token or RBAC user groups, any client that reaches a Redis or Valkey endpoint on the network can read, change and flush every key. Security groups limit who reaches it; authentication decides who may use it.",
	"severity": "high",
	"resource_types": ["aws_elasticache_replication_group"],
	"controls": {"gdpr": ["Art.32(1)(b)"], "hipaa": ["164.312(a)(1)", "164.312(d)"], "iso27001": ["A.8.5", "A.5.15"], "pci_dss": ["8.3.1", "7.2.1"], "soc2": ["CC6.1"]},
	"remediation": "Associate RBAC user groups (user_group_ids, with the default user disabled) or set an auth_token from Secrets Manager; both need transit_encryption_enabled = true. An existing group can take a token with auth_token_update_strategy ROTATE, then SET.",
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

# A plan holds the token itself, marked sensitive: set is enough.
test_pass_sensitive_token_set if {
	r := object.union(_group({"auth_token": "correct-horse-battery-staple", "user_group_ids": null}, []), {"sensitive": ["auth_token"]})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

# The AWS collector sees only whether a token is set.
test_pass_collector_auth_token_enabled if {
	r := _group({"auth_token_enabled": true, "user_group_ids": []}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_pass_rbac_user_group if {
	r := _group({"auth_token": null, "user_group_ids": ["app-users"]}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_pass_rbac_beside_unknown_token if {
	r := _group({"user_group_ids": ["app-users"]}, ["auth_token"])
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_plan_without_token_or_groups if {
	r := _group({"auth_token": null, "user_group_ids": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\" accepts clients without authentication (no AUTH token, no RBAC user group)",
	)} with input as _inventory([r])
}

test_fail_collector_auth_off_no_groups if {
	r := _group({"auth_token_enabled": false, "user_group_ids": []}, [])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_fail_empty_token if {
	r := _group({"auth_token": "", "user_group_ids": []}, [])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

# A token from random_password is known only after apply.
test_unknown_token_without_groups if {
	r := _group({"user_group_ids": []}, ["auth_token"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": whether clients must authenticate cannot be told (auth_token is known only after apply)",
		["auth_token"],
	)} with input as _inventory([r])
}

test_unknown_groups_without_token if {
	r := _group({"auth_token": null}, ["user_group_ids"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": whether clients must authenticate cannot be told (user_group_ids is known only after apply)",
		["user_group_ids"],
	)} with input as _inventory([r])
}

test_missing_everything if {
	r := _group({"engine": "redis"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": whether clients must authenticate cannot be told (auth_token is missing from the inventory; auth_token_enabled is missing from the inventory; user_group_ids is missing from the inventory)",
		["auth_token", "auth_token_enabled", "user_group_ids"],
	)} with input as _inventory([r])
}

test_missing_shape_groups_not_a_list if {
	r := _group({"auth_token_enabled": false, "user_group_ids": "app-users"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_elasticache_replication_group.sessions", "aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": whether clients must authenticate cannot be told (user_group_ids is not recorded)",
		["user_group_ids"],
	)} with input as _inventory([r])
}
