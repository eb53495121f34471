package checks.aws.rds.snapshot_public_test

import data.checks.aws.rds.snapshot_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-011",
	"title": "RDS snapshot shared publicly",
	"description": "A snapshot shared with \"all\" can be copied and restored by any AWS account, which hands over a full copy of the database's data.",
	"severity": "critical",
	"resource_types": ["aws_db_snapshot", "aws_db_cluster_snapshot"],
	"controls": {
		"gdpr": ["Art.5(1)(f)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["7.2.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.3", "A.8.12"],
	},
	"remediation": "Remove \"all\" from shared_accounts (modify-db-snapshot-attribute --values-to-remove all) and share only with named accounts that need it.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
	"resources": resources,
}

_snapshot(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01",
	"type": "aws_db_snapshot",
	"provider": "aws",
	"name": "orders-2026-11-01",
	"attributes": attributes,
}

_cluster_snapshot(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:analytics-2026-11-01",
	"type": "aws_db_cluster_snapshot",
	"provider": "aws",
	"name": "analytics-2026-11-01",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_private_snapshot if {
	r := _snapshot({"db_snapshot_identifier": "orders-2026-11-01", "shared_accounts": []})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_shared_with_named_account if {
	r := _cluster_snapshot({"shared_accounts": ["210987654321"]})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_public_snapshot if {
	r := _snapshot({"shared_accounts": ["210987654321", "all"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01", "aws_db_snapshot",
		"aws_db_snapshot \"orders-2026-11-01\" is public: any AWS account can restore it (shared_accounts contains \"all\")",
	)}
}

test_fail_public_cluster_snapshot_in_capitals if {
	r := _cluster_snapshot({"shared_accounts": ["ALL"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:analytics-2026-11-01",
		"aws_db_cluster_snapshot",
		"aws_db_cluster_snapshot \"analytics-2026-11-01\" is public: any AWS account can restore it (shared_accounts contains \"all\")",
	)}
}

test_missing_shared_accounts if {
	r := _snapshot({"encrypted": true})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01", "aws_db_snapshot",
		"aws_db_snapshot \"orders-2026-11-01\": shared_accounts is missing from the inventory", ["shared_accounts"],
	)}
}

test_unknown_shared_accounts if {
	r := object.union(_cluster_snapshot({"shared_accounts": ["all"]}), {"unknown": ["shared_accounts"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:analytics-2026-11-01",
		"aws_db_cluster_snapshot",
		"aws_db_cluster_snapshot \"analytics-2026-11-01\": shared_accounts is known only after apply",
		["shared_accounts"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	instance := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"shared_accounts": ["all"]},
	}
	count(check.findings) == 0 with input as _inventory([instance])
	count(check.resources) == 0 with input as _inventory([instance])
}
