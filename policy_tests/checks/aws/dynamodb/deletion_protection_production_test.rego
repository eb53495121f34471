package checks.aws.dynamodb.deletion_protection_production_test

import data.checks.aws.dynamodb.deletion_protection_production as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-DDB-003",
	"title": "Production DynamoDB table without deletion protection",
	"description": "Without deletion protection one DeleteTable call (a mistaken command, a destroy in the wrong Terraform workspace, a compromised role) removes a production table at once; point-in-time recovery then restores only into a new table, with downtime.",
	"severity": "medium",
	"resource_types": ["aws_dynamodb_table"],
	"controls": {"gdpr": ["Art.32(1)(b)"], "hipaa": ["164.312(c)(1)"], "iso27001": ["A.8.13", "A.5.33"], "soc2": ["A1.2"]},
	"remediation": "Set deletion_protection_enabled = true on production tables; turn it off deliberately, in a reviewed change, only when a table is to be removed.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/dynamodb", "status": "complete"}],
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

_table(environment, attributes, unknown) := _resource("aws_dynamodb_table", "orders", {"Environment": environment}, attributes, unknown)

test_pass_protected if {
	r := _table("production", {"deletion_protection_enabled": true}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_unprotected if {
	r := _table("production", {"deletion_protection_enabled": false}, [])
	check.findings == {expect.fail(
		_metadata, "aws_dynamodb_table.orders", "aws_dynamodb_table",
		"production aws_dynamodb_table \"orders\" can be deleted without first turning off protection (deletion_protection_enabled = false)",
	)} with input as _inventory([r])
}

test_fail_never_set if {
	r := _table("prd", {"deletion_protection_enabled": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_dynamodb_table.orders", "aws_dynamodb_table",
		"production aws_dynamodb_table \"orders\" can be deleted without first turning off protection (deletion_protection_enabled = null)",
	)} with input as _inventory([r])
}

test_pass_non_production_out_of_scope if {
	r := _table("dev", {"deletion_protection_enabled": false}, [])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_missing_deletion_protection if {
	r := _table("production", {"name": "orders"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_dynamodb_table.orders", "aws_dynamodb_table",
		"aws_dynamodb_table \"orders\": deletion_protection_enabled is missing from the inventory", ["deletion_protection_enabled"],
	)} with input as _inventory([r])
}

test_unknown_deletion_protection if {
	r := _table("production", {}, ["deletion_protection_enabled"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_dynamodb_table.orders", "aws_dynamodb_table",
		"aws_dynamodb_table \"orders\": deletion_protection_enabled is known only after apply", ["deletion_protection_enabled"],
	)} with input as _inventory([r])
}

test_missing_shape_not_boolean if {
	r := _table("production", {"deletion_protection_enabled": "yes"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_dynamodb_table.orders", "aws_dynamodb_table",
		"aws_dynamodb_table \"orders\": deletion_protection_enabled is not a boolean (\"yes\")", ["deletion_protection_enabled"],
	)} with input as _inventory([r])
}

test_missing_shape_number if {
	r := _table("production", {"deletion_protection_enabled": 1}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_dynamodb_table.orders", "aws_dynamodb_table",
		"aws_dynamodb_table \"orders\": deletion_protection_enabled is not a boolean (1)", ["deletion_protection_enabled"],
	)} with input as _inventory([r])
}
