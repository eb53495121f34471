package checks.aws.rds.snapshot_encrypted_test

import data.checks.aws.rds.snapshot_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-012",
	"title": "RDS snapshot not encrypted",
	"description": "An unencrypted snapshot is a readable copy of the whole database that can be shared, copied to other regions and restored outside the database's controls.",
	"severity": "high",
	"resource_types": ["aws_db_snapshot", "aws_db_cluster_snapshot"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Copy the snapshot with encryption under a customer-managed KMS key (copy-db-snapshot --kms-key-id), delete the unencrypted one, and encrypt the source database.",
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

test_pass_encrypted_snapshot if {
	r := _snapshot({"encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/k1"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_encrypted_cluster_snapshot if {
	r := _cluster_snapshot({"storage_encrypted": true})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_unencrypted_snapshot if {
	r := _snapshot({"encrypted": false, "kms_key_id": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01", "aws_db_snapshot",
		"aws_db_snapshot \"orders-2026-11-01\" is not encrypted (encrypted = false)",
	)}
}

test_fail_unencrypted_cluster_snapshot if {
	r := _cluster_snapshot({"storage_encrypted": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:analytics-2026-11-01",
		"aws_db_cluster_snapshot",
		"aws_db_cluster_snapshot \"analytics-2026-11-01\" is not encrypted (storage_encrypted = false)",
	)}
}

# Each snapshot type is read through its own attribute name.
test_missing_encrypted_when_only_other_types_flag_set if {
	r := _snapshot({"storage_encrypted": true})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01", "aws_db_snapshot",
		"aws_db_snapshot \"orders-2026-11-01\": encrypted is missing from the inventory", ["encrypted"],
	)}
}

test_missing_storage_encrypted_on_cluster_snapshot if {
	r := _cluster_snapshot({"encrypted": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:analytics-2026-11-01",
		"aws_db_cluster_snapshot",
		"aws_db_cluster_snapshot \"analytics-2026-11-01\": storage_encrypted is missing from the inventory",
		["storage_encrypted"],
	)}
}

test_unknown_encrypted if {
	r := object.union(_snapshot({"encrypted": false}), {"unknown": ["encrypted"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01", "aws_db_snapshot",
		"aws_db_snapshot \"orders-2026-11-01\": encrypted is known only after apply", ["encrypted"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	instance := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"encrypted": false, "storage_encrypted": false},
	}
	count(check.findings) == 0 with input as _inventory([instance])
	count(check.resources) == 0 with input as _inventory([instance])
}
