package checks.aws.rds.storage_encrypted_test

import data.checks.aws.rds.storage_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-001",
	"title": "RDS storage not encrypted at rest",
	"description": "Database storage, automated backups, read replicas and snapshots must be encrypted at rest, so a copied volume or snapshot does not expose the data.",
	"severity": "high",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set storage_encrypted = true, with a customer-managed kms_key_id. An existing instance cannot be encrypted in place: restore an encrypted copy of a snapshot.",
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

_cluster(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
	"type": "aws_rds_cluster",
	"provider": "aws",
	"name": "analytics",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_instance if {
	r := _instance({"engine": "postgres", "storage_encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/k1"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_encrypted_cluster if {
	r := _cluster({"engine": "aurora-postgresql", "storage_encrypted": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	r in check.resources with input as _inventory([r])
}

test_fail_unencrypted_instance if {
	r := _instance({"engine": "postgres", "storage_encrypted": false, "kms_key_id": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" stores data unencrypted (storage_encrypted = false)",
	)}
}

test_fail_unencrypted_cluster if {
	r := _cluster({"engine": "aurora-postgresql", "storage_encrypted": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\" stores data unencrypted (storage_encrypted = false)",
	)}
}

test_missing_storage_encrypted if {
	r := _instance({"engine": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": storage_encrypted is missing from the inventory", ["storage_encrypted"],
	)}
}

test_unknown_storage_encrypted if {
	r := object.union(_cluster({"engine": "aurora-postgresql"}), {"unknown": ["storage_encrypted"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\": storage_encrypted is known only after apply", ["storage_encrypted"],
	)}
}

# A path listed in unknown wins over a placeholder value: no fail on top of it.
test_unknown_storage_encrypted_with_placeholder_value_is_only_indeterminate if {
	r := object.union(_instance({"storage_encrypted": false}), {"unknown": ["storage_encrypted"]})
	findings := check.findings with input as _inventory([r])
	{f.status | some f in findings} == {"indeterminate"}
	count(findings) == 1
}

# An unknown list naming other attributes does not make this one unknown.
test_pass_unknown_lists_other_attributes if {
	r := object.union(_instance({"storage_encrypted": true}), {"unknown": ["kms_key_id"]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	r in check.resources with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	bucket := {
		"address": "arn:aws:s3:::acme-invoices",
		"type": "aws_s3_bucket",
		"provider": "aws",
		"name": "acme-invoices",
		"attributes": {"storage_encrypted": false},
	}
	findings := check.findings with input as _inventory([bucket])
	count(findings) == 0
	resources := check.resources with input as _inventory([bucket])
	count(resources) == 0
}

test_fail_only_offending_resources_reported if {
	good := _cluster({"storage_encrypted": true})
	bad := _instance({"storage_encrypted": false})
	findings := check.findings with input as _inventory([good, bad])
	{f.resource | some f in findings} == {"arn:aws:rds:eu-west-1:123456789012:db:orders"}
	resources := check.resources with input as _inventory([good, bad])
	resources == {good, bad}
}

test_pass_empty_inventory if {
	count(check.findings) == 0 with input as _inventory([])
	count(check.resources) == 0 with input as _inventory([])
}
