package checks.aws.dynamodb.point_in_time_recovery_test

import data.checks.aws.dynamodb.point_in_time_recovery as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-DDB-001",
	"title": "DynamoDB point-in-time recovery disabled",
	"description": "Without point-in-time recovery a table overwritten or deleted by a faulty deployment, a bad script or an attacker can only be restored from on-demand backups, if any; with it, to any second of the last 35 days.",
	"severity": "medium",
	"resource_types": ["aws_dynamodb_table"],
	"controls": {
		"gdpr": ["Art.32(1)(c)"],
		"hipaa": ["164.308(a)(7)(ii)(A)"],
		"pci_dss": ["12.10.1"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.13"],
	},
	"remediation": "Add point_in_time_recovery { enabled = true } to the table.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/dynamodb", "status": "complete"}],
	"resources": resources,
}

_table(attributes) := {
	"address": "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions",
	"type": "aws_dynamodb_table",
	"provider": "aws",
	"name": "sessions",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_point_in_time_recovery_enabled if {
	r := _table({"name": "sessions", "point_in_time_recovery": {"enabled": true}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_point_in_time_recovery_disabled if {
	r := _table({"name": "sessions", "point_in_time_recovery": {"enabled": false}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions", "aws_dynamodb_table",
		"aws_dynamodb_table \"sessions\" has no point-in-time recovery (point_in_time_recovery.enabled = false)",
	)}
}

test_fail_point_in_time_recovery_never_configured if {
	r := _table({"name": "sessions", "point_in_time_recovery": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions", "aws_dynamodb_table",
		"aws_dynamodb_table \"sessions\" has no point-in-time recovery (point_in_time_recovery = null)",
	)}
}

test_missing_point_in_time_recovery if {
	r := _table({"name": "sessions"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions", "aws_dynamodb_table",
		"aws_dynamodb_table \"sessions\": point_in_time_recovery.enabled is missing from the inventory",
		["point_in_time_recovery.enabled"],
	)}
}

test_missing_enabled_inside_block if {
	r := _table({"point_in_time_recovery": {}})
	[f.status | some f in check.findings] == ["indeterminate"] with input as _inventory([r])
}

test_unknown_point_in_time_recovery_block if {
	r := object.union(_table({"point_in_time_recovery": null}), {"unknown": ["point_in_time_recovery"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions", "aws_dynamodb_table",
		"aws_dynamodb_table \"sessions\": point_in_time_recovery.enabled is known only after apply",
		["point_in_time_recovery.enabled"],
	)}
}

test_unknown_enabled_with_placeholder_value_is_only_indeterminate if {
	r := object.union(_table({"point_in_time_recovery": {"enabled": false}}), {"unknown": ["point_in_time_recovery.enabled"]})
	[f.status | some f in check.findings] == ["indeterminate"] with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	instance := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"point_in_time_recovery": null},
	}
	count(check.findings) == 0 with input as _inventory([instance])
	count(check.resources) == 0 with input as _inventory([instance])
}
