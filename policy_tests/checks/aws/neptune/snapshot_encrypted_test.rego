package checks.aws.neptune.snapshot_encrypted_test

import data.checks.aws.neptune.snapshot_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NEP-008",
	"title": "Neptune cluster snapshot not encrypted",
	"description": "An unencrypted snapshot is a readable copy of the whole graph that can be shared, copied to other regions and restored outside the cluster's controls.",
	"severity": "high",
	"resource_types": ["aws_neptune_cluster_snapshot"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Copy the snapshot with encryption under a customer-managed KMS key (copy-db-cluster-snapshot --kms-key-id), delete the unencrypted one, and encrypt the source cluster.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/neptune", "status": "complete"}],
	"resources": resources,
}

_snapshot(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:social-graph-2026-11-01",
	"type": "aws_neptune_cluster_snapshot",
	"provider": "aws",
	"name": "social-graph-2026-11-01",
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_snapshot if {
	r := _snapshot({"storage_encrypted": true})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_unencrypted_snapshot if {
	r := _snapshot({"storage_encrypted": false})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster_snapshot \"social-graph-2026-11-01\" is not encrypted (storage_encrypted = false)", [])} with input as _inventory([r])
}

test_missing_storage_encrypted if {
	r := _snapshot({"engine": "neptune"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster_snapshot \"social-graph-2026-11-01\": storage_encrypted is missing from the inventory", ["storage_encrypted"])} with input as _inventory([r])
}

# Terraform computes it from the source cluster: a planned snapshot has it unknown.
test_unknown_storage_encrypted if {
	r := object.union(_snapshot({}), {"unknown": ["storage_encrypted"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster_snapshot \"social-graph-2026-11-01\": storage_encrypted is known only after apply", ["storage_encrypted"])} with input as _inventory([r])
}

test_null_storage_encrypted_is_indeterminate if {
	r := _snapshot({"storage_encrypted": null})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster_snapshot \"social-graph-2026-11-01\": storage_encrypted is not recorded (null)", ["storage_encrypted"])} with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_snapshot({"storage_encrypted": false}), {"type": "aws_db_cluster_snapshot"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
