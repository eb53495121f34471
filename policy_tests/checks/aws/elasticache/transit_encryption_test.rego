package checks.aws.elasticache.transit_encryption_test

import data.checks.aws.elasticache.transit_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC-002",
	"title": "ElastiCache replication group without encryption in transit",
	"description": "Without TLS, or with TLS only preferred, the data and AUTH tokens exchanged between clients and cache nodes can travel the network in clear text.",
	"severity": "high",
	"resource_types": ["aws_elasticache_replication_group"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Set transit_encryption_enabled = true and, once every client connects over TLS, transit_encryption_mode = \"required\".",
}

_address := "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/elasticache", "status": "complete"}],
	"resources": resources,
}

_group(attributes) := {
	"address": _address,
	"type": "aws_elasticache_replication_group",
	"provider": "aws",
	"name": "sessions",
	"attributes": attributes,
}

_finding(status, message, paths) := expect.finding(_metadata, _address, "aws_elasticache_replication_group", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_transit_encryption_required if {
	r := _group({"engine": "redis", "transit_encryption_enabled": true, "transit_encryption_mode": "required"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

# With TLS on, only a recorded mode tells required from preferred: an absent
# or null mode is undecided, never a pass.
test_missing_transit_encryption_mode if {
	r := _group({"transit_encryption_enabled": true})
	check.findings == {_finding("indeterminate", "ElastiCache replication group \"sessions\": transit_encryption_mode is missing from the inventory", ["transit_encryption_mode"])} with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_missing_transit_encryption_mode_null if {
	r := _group({"transit_encryption_enabled": true, "transit_encryption_mode": null})
	check.findings == {_finding("indeterminate", "ElastiCache replication group \"sessions\": transit_encryption_mode is not recorded (null)", ["transit_encryption_mode"])} with input as _inventory([r])
}

test_pass_transit_encryption_required_any_case if {
	every mode in ["Required", "REQUIRED"] {
		r := _group({"transit_encryption_enabled": true, "transit_encryption_mode": mode})
		count(check.findings) == 0 with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}

test_fail_transit_encryption_preferred_any_case if {
	every mode in ["Preferred", "PREFERRED", " preferred "] {
		r := _group({"transit_encryption_enabled": true, "transit_encryption_mode": mode})
		message := sprintf("ElastiCache replication group \"sessions\" accepts clear-text connections (transit_encryption_mode = %q)", [mode])
		check.findings == {_finding("fail", message, [])} with input as _inventory([r])
	}
}

test_fail_transit_encryption_disabled if {
	r := _group({"engine": "redis", "transit_encryption_enabled": false, "transit_encryption_mode": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions",
		"aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\" accepts clear-text connections (transit_encryption_enabled = false)",
	)}
}

test_fail_transit_encryption_preferred if {
	r := _group({"transit_encryption_enabled": true, "transit_encryption_mode": "preferred"})
	check.findings == {_finding("fail", "ElastiCache replication group \"sessions\" accepts clear-text connections (transit_encryption_mode = \"preferred\")", [])} with input as _inventory([r])
}

# A disabled group is reported once, whatever its mode says.
test_fail_disabled_reported_once if {
	r := _group({"transit_encryption_enabled": false, "transit_encryption_mode": "preferred"})
	check.findings == {_finding("fail", "ElastiCache replication group \"sessions\" accepts clear-text connections (transit_encryption_enabled = false)", [])} with input as _inventory([r])
}

test_missing_transit_encryption_enabled if {
	r := _group({"engine": "redis"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions",
		"aws_elasticache_replication_group",
		"ElastiCache replication group \"sessions\": transit_encryption_enabled is missing from the inventory",
		["transit_encryption_enabled"],
	)}
}

test_unknown_transit_encryption_enabled if {
	r := object.union(_group({"transit_encryption_enabled": false}), {"unknown": ["transit_encryption_enabled", "transit_encryption_mode"]})
	check.findings == {_finding("indeterminate", "ElastiCache replication group \"sessions\": transit_encryption_enabled is known only after apply", ["transit_encryption_enabled"])} with input as _inventory([r])
}

test_unknown_transit_encryption_mode if {
	r := object.union(_group({"transit_encryption_enabled": true}), {"unknown": ["transit_encryption_mode"]})
	check.findings == {_finding("indeterminate", "ElastiCache replication group \"sessions\": transit_encryption_mode is known only after apply", ["transit_encryption_mode"])} with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	volume := {
		"address": "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a1b2c3d4e5f60001",
		"type": "aws_ebs_volume",
		"provider": "aws",
		"name": "etl-scratch",
		"attributes": {"transit_encryption_enabled": false},
	}
	count(check.findings) == 0 with input as _inventory([volume])
	count(check.resources) == 0 with input as _inventory([volume])
}

test_missing_transit_encryption_mode_unrecognised if {
	r := _group({"transit_encryption_enabled": true, "transit_encryption_mode": "disabled"})
	check.findings == {_finding("indeterminate", "ElastiCache replication group \"sessions\": transit_encryption_mode is not recorded (\"disabled\")", ["transit_encryption_mode"])} with input as _inventory([r])
}
