package checks.aws.rds.multi_az_production_test

import data.checks.aws.rds.multi_az_production as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-008",
	"title": "Production RDS instance not Multi-AZ",
	"description": "A single-AZ production database is down for the whole of an availability zone outage or a host failure; Multi-AZ keeps a synchronous standby that takes over automatically.",
	"severity": "medium",
	"resource_types": ["aws_db_instance"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(7)(ii)(C)"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.14"],
	},
	"remediation": "Set multi_az = true for production instances (or run them as an Aurora or Multi-AZ DB cluster with instances in several availability zones).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
	"resources": resources,
}

_instance(environment, attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
	"type": "aws_db_instance",
	"provider": "aws",
	"name": "orders",
	"tags": {"Environment": environment},
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_production_multi_az if {
	r := _instance("production", {"multi_az": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_production_single_az if {
	r := _instance("production", {"multi_az": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"production aws_db_instance \"orders\" runs in a single availability zone (multi_az = false)",
	)}
}

# Environment values are matched case-insensitively against the parameter.
test_fail_prod_tag_in_capitals if {
	r := _instance("PRD", {"multi_az": false})
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_pass_non_production_single_az_out_of_scope if {
	r := _instance("staging", {"multi_az": false})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_pass_untagged_instance_out_of_scope if {
	r := object.remove(_instance("production", {"multi_az": false}), ["tags"])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_fail_production_environments_parameter_overridden if {
	r := _instance("live", {"multi_az": false})
	inventory := object.union(_inventory([r]), {"parameters": {"production_environments": ["live"]}})
	[f.status | some f in check.findings] == ["fail"] with input as inventory
}

test_missing_multi_az if {
	r := _instance("prod", {"engine": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": multi_az is missing from the inventory", ["multi_az"],
	)}
}

test_unknown_multi_az if {
	r := object.union(_instance("production", {"multi_az": false}), {"unknown": ["multi_az"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": multi_az is known only after apply", ["multi_az"],
	)}
}

# Aurora clusters spread storage over three zones; their instances are not this check's.
test_pass_cluster_out_of_scope if {
	cluster := {
		"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
		"type": "aws_rds_cluster",
		"provider": "aws",
		"name": "analytics",
		"tags": {"Environment": "production"},
		"attributes": {"multi_az": false},
	}
	count(check.findings) == 0 with input as _inventory([cluster])
	count(check.resources) == 0 with input as _inventory([cluster])
}
