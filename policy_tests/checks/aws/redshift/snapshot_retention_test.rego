package checks.aws.redshift.snapshot_retention_test

import data.checks.aws.redshift.snapshot_retention as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RS-005",
	"title": "Redshift automated snapshot retention below the minimum",
	"description": "Automated snapshots are how a Redshift cluster is restored after a bad load, a dropped table or ransomware; kept for less than the configured minimum (the default is one day, 0 turns them off) they leave too short a window to notice the damage and recover.",
	"severity": "medium",
	"resource_types": ["aws_redshift_cluster"],
	"controls": {"gdpr": ["Art.32(1)(c)"], "hipaa": ["164.308(a)(7)(ii)(A)"], "iso27001": ["A.8.13"], "pci_dss": ["12.10.1"], "soc2": ["A1.2"]},
	"remediation": "Set automated_snapshot_retention_period to at least the minimum_backup_retention_days parameter (7 by default, up to 35), and keep longer-term copies as manual snapshots or in AWS Backup.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/redshift", "status": "complete"}],
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

_cluster(attributes, unknown) := _resource("aws_redshift_cluster", "warehouse", {}, attributes, unknown)

test_pass_at_the_minimum if {
	r := _cluster({"automated_snapshot_retention_period": 7}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_terraform_default_of_one_day if {
	r := _cluster({"automated_snapshot_retention_period": 1}, [])
	check.findings == {expect.fail(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\" keeps automated snapshots for 1 day(s), below the minimum of 7 (automated_snapshot_retention_period = 1)",
	)} with input as _inventory([r])
}

test_fail_snapshots_off if {
	r := _cluster({"automated_snapshot_retention_period": 0}, [])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_fail_minimum_overridden if {
	r := _cluster({"automated_snapshot_retention_period": 7}, [])
	check.findings == {expect.fail(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\" keeps automated snapshots for 7 day(s), below the minimum of 14 (automated_snapshot_retention_period = 7)",
	)} with input as _with_parameters([r], {"minimum_backup_retention_days": 14})
}

test_missing_period if {
	r := _cluster({"encrypted": true}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": automated_snapshot_retention_period is missing from the inventory", ["automated_snapshot_retention_period"],
	)} with input as _inventory([r])
}

test_unknown_period if {
	r := _cluster({}, ["automated_snapshot_retention_period"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": automated_snapshot_retention_period is known only after apply", ["automated_snapshot_retention_period"],
	)} with input as _inventory([r])
}

test_missing_null_period if {
	r := _cluster({"automated_snapshot_retention_period": null}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": automated_snapshot_retention_period is not a number of days (null)", ["automated_snapshot_retention_period"],
	)} with input as _inventory([r])
}

test_missing_shape_text_period if {
	r := _cluster({"automated_snapshot_retention_period": "7"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": automated_snapshot_retention_period is not a number of days (\"7\")", ["automated_snapshot_retention_period"],
	)} with input as _inventory([r])
}
