package checks.aws.rds.auto_minor_version_upgrade_test

import data.checks.aws.rds.auto_minor_version_upgrade as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-009",
	"title": "RDS automatic minor version upgrades disabled",
	"description": "Minor engine versions carry security fixes; with automatic minor version upgrades off, an instance keeps running known-vulnerable engine versions until someone upgrades it by hand.",
	"severity": "low",
	"resource_types": ["aws_db_instance"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(1)(ii)(B)"],
		"pci_dss": ["6.3.3"],
		"soc2": ["CC7.1"],
		"iso27001": ["A.8.8"],
	},
	"remediation": "Set auto_minor_version_upgrade = true so minor versions are applied in the maintenance window, or document the manual patching process that replaces it.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
	"resources": resources,
}

_instance(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
	"type": "aws_db_instance",
	"provider": "aws",
	"name": "orders",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_auto_minor_version_upgrade_on if {
	r := _instance({"engine": "postgres", "auto_minor_version_upgrade": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_auto_minor_version_upgrade_off if {
	r := _instance({"engine": "postgres", "auto_minor_version_upgrade": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" does not receive minor engine upgrades (auto_minor_version_upgrade = false)",
	)}
}

test_missing_auto_minor_version_upgrade if {
	r := _instance({"engine": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": auto_minor_version_upgrade is missing from the inventory",
		["auto_minor_version_upgrade"],
	)}
}

test_unknown_auto_minor_version_upgrade if {
	r := object.union(_instance({"auto_minor_version_upgrade": false}), {"unknown": ["auto_minor_version_upgrade"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": auto_minor_version_upgrade is known only after apply",
		["auto_minor_version_upgrade"],
	)}
}

test_pass_cluster_out_of_scope if {
	cluster := {
		"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
		"type": "aws_rds_cluster",
		"provider": "aws",
		"name": "analytics",
		"attributes": {"auto_minor_version_upgrade": false},
	}
	count(check.findings) == 0 with input as _inventory([cluster])
	count(check.resources) == 0 with input as _inventory([cluster])
}
