package checks.aws.rds.enhanced_monitoring_production_test

import data.checks.aws.rds.enhanced_monitoring_production as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-014",
	"title": "Production RDS instance without Enhanced Monitoring",
	"description": "CloudWatch's standard RDS metrics come from the hypervisor once a minute; Enhanced Monitoring samples the database host's own CPU, memory, file system and process list, which is what shows a saturated or misbehaving production database before it fails. An interval of 0 (the default) turns it off.",
	"severity": "low",
	"resource_types": ["aws_db_instance"],
	"controls": {"gdpr": ["Art.32(1)(b)"], "hipaa": ["164.308(a)(1)(ii)(D)"], "iso27001": ["A.8.16", "A.8.6"], "soc2": ["CC7.2", "A1.1"]},
	"remediation": "Set monitoring_interval to 1, 5, 10, 15, 30 or 60 seconds and monitoring_role_arn to a role trusted by monitoring.rds.amazonaws.com with the AmazonRDSEnhancedMonitoringRole policy.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
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

_db(environment, attributes, unknown) := _resource("aws_db_instance", "orders", {"Environment": environment}, attributes, unknown)

test_pass_production_with_enhanced_monitoring if {
	r := _db("production", {"monitoring_interval": 60}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_interval_zero if {
	r := _db("production", {"monitoring_interval": 0}, [])
	check.findings == {expect.fail(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"production aws_db_instance \"orders\" has Enhanced Monitoring off (monitoring_interval = 0)",
	)} with input as _inventory([r])
}

test_fail_interval_null_is_off if {
	r := _db("prod", {"monitoring_interval": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"production aws_db_instance \"orders\" has Enhanced Monitoring off (monitoring_interval = null)",
	)} with input as _inventory([r])
}

test_pass_non_production_out_of_scope if {
	r := _db("staging", {"monitoring_interval": 0}, [])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_missing_monitoring_interval if {
	r := _db("production", {"engine": "postgres"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": monitoring_interval is missing from the inventory", ["monitoring_interval"],
	)} with input as _inventory([r])
}

test_unknown_monitoring_interval if {
	r := _db("production", {"monitoring_interval": 0}, ["monitoring_interval"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": monitoring_interval is known only after apply", ["monitoring_interval"],
	)} with input as _inventory([r])
}

test_missing_shape_interval_as_text if {
	r := _db("production", {"monitoring_interval": "60"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": monitoring_interval is not a number of seconds (\"60\")", ["monitoring_interval"],
	)} with input as _inventory([r])
}

test_missing_shape_negative_interval if {
	r := _db("production", {"monitoring_interval": -5}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": monitoring_interval is not a number of seconds (-5)", ["monitoring_interval"],
	)} with input as _inventory([r])
}
