package checks.aws.rds.customer_managed_key_test

import data.checks.aws.rds.customer_managed_key as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-003",
	"title": "RDS holding classified data not encrypted with a customer-managed KMS key",
	"description": "Classified data (personal, health, card or confidential) must be encrypted with a customer-managed KMS key, so key use is governed by its own key policy, audited, rotated and revocable; the AWS-managed key (alias/aws/rds) can be used by anyone allowed to use RDS in the account.",
	"severity": "medium",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1", "3.6.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Create a customer-managed KMS key with a key policy limited to the database's roles and set kms_key_id to it. The key of an existing database cannot be changed in place: restore a snapshot copy encrypted with the new key.",
}

_cmk := "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
	"resources": resources,
}

_instance(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:db:patients",
	"type": "aws_db_instance",
	"provider": "aws",
	"name": "patients",
	"tags": {"DataClassification": "phi"},
	"data_classes": ["pii"],
	"attributes": attributes,
}

_cluster(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:ledger",
	"type": "aws_rds_cluster",
	"provider": "aws",
	"name": "ledger",
	"tags": {"DataClassification": "pci"},
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_classified_instance_with_customer_key if {
	r := _instance({"storage_encrypted": true, "kms_key_id": _cmk})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_classified_cluster_with_customer_key_alias if {
	r := _cluster({"storage_encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:alias/ledger-db"})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_classified_instance_without_key if {
	r := _instance({"storage_encrypted": false, "kms_key_id": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:patients", "aws_db_instance",
		"aws_db_instance \"patients\" holds classified data (phi, pii) without a customer-managed KMS key (kms_key_id = null)",
	)}
}

test_fail_classified_cluster_with_aws_managed_key if {
	r := _cluster({"storage_encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:ledger", "aws_rds_cluster",
		"aws_rds_cluster \"ledger\" holds classified data (pci) without a customer-managed KMS key (kms_key_id = \"arn:aws:kms:eu-west-1:123456789012:alias/aws/rds\")",
	)}
}

test_fail_bare_aws_managed_alias if {
	r := _cluster({"kms_key_id": "alias/aws/rds"})
	check.findings == {_finding(r, "fail", "aws_rds_cluster \"ledger\" holds classified data (pci) without a customer-managed KMS key (kms_key_id = \"alias/aws/rds\")", [])} with input as _inventory([r])
}

# A plan can carry an empty string for an unset key: no key.
test_fail_empty_key_id if {
	r := _cluster({"kms_key_id": ""})
	check.findings == {_finding(r, "fail", "aws_rds_cluster \"ledger\" holds classified data (pci) without a customer-managed KMS key (kms_key_id = \"\")", [])} with input as _inventory([r])
}

test_missing_kms_key_id if {
	r := _instance({"storage_encrypted": true})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:patients", "aws_db_instance",
		"aws_db_instance \"patients\": kms_key_id is missing from the inventory", ["kms_key_id"],
	)}
}

test_unknown_kms_key_id if {
	r := object.union(_cluster({"storage_encrypted": true, "kms_key_id": null}), {"unknown": ["kms_key_id"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:ledger", "aws_rds_cluster",
		"aws_rds_cluster \"ledger\": kms_key_id is known only after apply", ["kms_key_id"],
	)}
}

# Unclassified databases are out of scope, whatever their key.
test_pass_unclassified_database_out_of_scope if {
	r := object.union(_instance({"kms_key_id": null}), {"tags": {"DataClassification": "public"}, "data_classes": ["public"]})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_pass_untagged_database_out_of_scope if {
	r := object.remove(_instance({"kms_key_id": null}), ["tags", "data_classes"])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

# The classified classes follow the parameter.
test_fail_classified_data_classes_parameter_overridden if {
	r := object.union(_instance({"kms_key_id": null}), {"tags": {}, "data_classes": ["public"]})
	inventory := object.union(_inventory([r]), {"parameters": {"classified_data_classes": ["public"]}})
	check.findings == {_finding(r, "fail", "aws_db_instance \"patients\" holds classified data (public) without a customer-managed KMS key (kms_key_id = null)", [])} with input as inventory
}

test_pass_out_of_scope_types_ignored if {
	bucket := {
		"address": "arn:aws:s3:::acme-invoices",
		"type": "aws_s3_bucket",
		"provider": "aws",
		"name": "acme-invoices",
		"tags": {"DataClassification": "pci"},
		"attributes": {"kms_key_id": null},
	}
	count(check.findings) == 0 with input as _inventory([bucket])
	count(check.resources) == 0 with input as _inventory([bucket])
}
