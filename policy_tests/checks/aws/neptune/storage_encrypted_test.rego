package checks.aws.neptune.storage_encrypted_test

import data.checks.aws.neptune.storage_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NEP-001",
	"title": "Neptune cluster storage not encrypted at rest",
	"description": "A Neptune cluster's storage, its automated backups and its snapshots hold the whole graph, people and their relationships included; unencrypted, a copied volume or snapshot exposes all of it.",
	"severity": "high",
	"resource_types": ["aws_neptune_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set storage_encrypted = true with a customer-managed kms_key_arn. Encryption cannot be turned on for an existing cluster: restore an encrypted cluster from a snapshot and move the clients to it.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/neptune", "status": "complete"}],
	"resources": resources,
}

_cluster(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:social-graph",
	"type": "aws_neptune_cluster",
	"provider": "aws",
	"name": "social-graph",
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_cluster if {
	r := _cluster({"storage_encrypted": true})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_unencrypted_cluster if {
	r := _cluster({"storage_encrypted": false})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"social-graph\" stores its graph unencrypted (storage_encrypted = false)", [])} with input as _inventory([r])
}

test_missing_storage_encrypted if {
	r := _cluster({"engine": "neptune"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": storage_encrypted is missing from the inventory", ["storage_encrypted"])} with input as _inventory([r])
}

test_unknown_storage_encrypted if {
	r := object.union(_cluster({"storage_encrypted": null}), {"unknown": ["storage_encrypted"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": storage_encrypted is known only after apply", ["storage_encrypted"])} with input as _inventory([r])
}

test_null_storage_encrypted_is_indeterminate if {
	r := _cluster({"storage_encrypted": null})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": storage_encrypted is not recorded (null)", ["storage_encrypted"])} with input as _inventory([r])
}

test_fail_only_offending_resources_reported if {
	good := object.union(_cluster({"storage_encrypted": true}), {"address": "arn:aws:rds:eu-west-1:123456789012:cluster:catalog", "name": "catalog"})
	bad := _cluster({"storage_encrypted": false})
	findings := check.findings with input as _inventory([good, bad])
	{f.resource | some f in findings} == {bad.address}
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_cluster({"storage_encrypted": false}), {"type": "aws_rds_cluster"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
