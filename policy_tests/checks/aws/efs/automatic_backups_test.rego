package checks.aws.efs.automatic_backups_test

import data.checks.aws.efs.automatic_backups as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EFS-003",
	"title": "EFS file system without automatic backups",
	"description": "With its backup policy off (the default for file systems created through the API, the CLI or Terraform), AWS Backup takes no daily backup of an EFS file system, so a deleted directory, a bad deploy or ransomware leaves nothing to restore from.",
	"severity": "medium",
	"resource_types": ["aws_efs_file_system"],
	"controls": {"gdpr": ["Art.32(1)(c)"], "hipaa": ["164.308(a)(7)(ii)(A)"], "iso27001": ["A.8.13"], "pci_dss": ["12.10.1"], "soc2": ["A1.2"]},
	"remediation": "Add aws_efs_backup_policy with backup_policy { status = \"ENABLED\" }, or cover the file system with an AWS Backup plan of your own.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/efs", "status": "complete"}],
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

_fs(attributes, unknown) := _resource("aws_efs_file_system", "shared", {}, attributes, unknown)

test_pass_backups_enabled if {
	r := _fs({"backup_policy": {"status": "ENABLED"}}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_backups_being_enabled_any_case if {
	r := _fs({"backup_policy": {"status": "enabling"}}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_no_backup_policy if {
	r := _fs({"backup_policy": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_efs_file_system.shared", "aws_efs_file_system",
		"EFS file system \"shared\" has no backup policy, so automatic backups are off",
	)} with input as _inventory([r])
}

test_fail_backups_disabled if {
	r := _fs({"backup_policy": {"status": "DISABLED"}}, [])
	check.findings == {expect.fail(
		_metadata, "aws_efs_file_system.shared", "aws_efs_file_system",
		"EFS file system \"shared\" has automatic backups off (backup_policy.status = \"DISABLED\")",
	)} with input as _inventory([r])
}

test_missing_backup_policy if {
	r := _fs({"encrypted": true}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_efs_file_system.shared", "aws_efs_file_system",
		"EFS file system \"shared\": backup_policy is missing from the inventory", ["backup_policy"],
	)} with input as _inventory([r])
}

test_unknown_status if {
	r := _fs({"backup_policy": {}}, ["backup_policy.status"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_efs_file_system.shared", "aws_efs_file_system",
		"EFS file system \"shared\": backup_policy is known only after apply", ["backup_policy"],
	)} with input as _inventory([r])
}

test_missing_status_in_policy if {
	r := _fs({"backup_policy": {}}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_efs_file_system.shared", "aws_efs_file_system",
		"EFS file system \"shared\": backup_policy.status is missing from the inventory", ["backup_policy.status"],
	)} with input as _inventory([r])
}

test_missing_shape_unexpected_values if {
	status := _fs({"backup_policy": {"status": "PAUSED"}}, [])
	text := object.union(_fs({"backup_policy": "ENABLED"}, []), {"name": "home", "address": "aws_efs_file_system.home"})
	check.findings == {
		expect.indeterminate(
			_metadata, "aws_efs_file_system.shared", "aws_efs_file_system",
			"EFS file system \"shared\": backup_policy.status is not a known status (\"PAUSED\")", ["backup_policy.status"],
		),
		expect.indeterminate(
			_metadata, "aws_efs_file_system.home", "aws_efs_file_system",
			"EFS file system \"home\": backup_policy is not an object (\"ENABLED\")", ["backup_policy"],
		),
	} with input as _inventory([status, text])
}

test_missing_shape_status_number if {
	r := _fs({"backup_policy": {"status": 1}}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_efs_file_system.shared", "aws_efs_file_system",
		"EFS file system \"shared\": backup_policy.status is not a known status (1)", ["backup_policy.status"],
	)} with input as _inventory([r])
}
