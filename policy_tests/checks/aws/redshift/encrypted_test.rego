package checks.aws.redshift.encrypted_test

import data.checks.aws.redshift.encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RS-001",
	"title": "Redshift cluster not encrypted at rest",
	"description": "A data warehouse gathers data from many systems; its storage, backups and snapshots must be encrypted at rest so a copied snapshot does not expose it.",
	"severity": "high",
	"resource_types": ["aws_redshift_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set encrypted = true with a customer-managed kms_key_id; Redshift migrates an existing cluster to encrypted storage in place.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/redshift", "status": "complete"}],
	"resources": resources,
}

_cluster(attributes) := {
	"address": "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse",
	"type": "aws_redshift_cluster",
	"provider": "aws",
	"name": "warehouse",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_cluster if {
	r := _cluster({"encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/k1"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_unencrypted_cluster if {
	r := _cluster({"encrypted": false, "kms_key_id": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\" stores data unencrypted (encrypted = false)",
	)}
}

test_missing_encrypted if {
	r := _cluster({"node_type": "ra3.xlplus"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\": encrypted is missing from the inventory", ["encrypted"],
	)}
}

test_unknown_encrypted if {
	r := object.union(_cluster({"encrypted": false}), {"unknown": ["encrypted"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\": encrypted is known only after apply", ["encrypted"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	snapshot := {
		"address": "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01",
		"type": "aws_db_snapshot",
		"provider": "aws",
		"name": "orders-2026-11-01",
		"attributes": {"encrypted": false},
	}
	count(check.findings) == 0 with input as _inventory([snapshot])
	count(check.resources) == 0 with input as _inventory([snapshot])
}
