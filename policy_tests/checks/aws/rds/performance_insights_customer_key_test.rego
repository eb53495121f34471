package checks.aws.rds.performance_insights_customer_key_test

import data.checks.aws.rds.performance_insights_customer_key as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-015",
	"title": "Performance Insights on classified RDS data without a customer-managed KMS key",
	"description": "Performance Insights keeps the text of the queries a database runs, and query text often carries the personal, health or card data in its literals. For a database holding classified data that copy must be encrypted with a customer-managed KMS key like the database itself; the AWS-managed key (alias/aws/rds, the default) can be used by anyone allowed to use RDS in the account.",
	"severity": "medium",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {"gdpr": ["Art.32(1)(a)"], "hipaa": ["164.312(a)(2)(iv)"], "iso27001": ["A.8.24", "A.8.12"], "pci_dss": ["3.5.1", "3.6.1"], "soc2": ["CC6.1"]},
	"remediation": "Set performance_insights_kms_key_id to a customer-managed KMS key whose key policy is limited to the database's roles. The key cannot be changed once Performance Insights has data: turn Performance Insights off and on again with the new key (its history is lost) or, if it is not needed, set performance_insights_enabled = false.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
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

_cmk := "arn:aws:kms:eu-west-1:123456789012:key/5b7c9d1e-0000-4000-8000-000000000001"

_aws_key := "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds"

_db(attributes, unknown) := _resource("aws_db_instance", "patients", {"DataClassification": "phi"}, attributes, unknown)

test_pass_customer_managed_key if {
	r := _db({"performance_insights_enabled": true, "performance_insights_kms_key_id": _cmk}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_performance_insights_off if {
	r := _db({"performance_insights_enabled": false, "performance_insights_kms_key_id": null}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_pass_performance_insights_never_set if {
	r := _db({"performance_insights_enabled": null}, ["performance_insights_kms_key_id"])
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_aws_managed_key if {
	r := _db({"performance_insights_enabled": true, "performance_insights_kms_key_id": _aws_key}, [])
	check.findings == {expect.fail(
		_metadata, "aws_db_instance.patients", "aws_db_instance",
		"aws_db_instance \"patients\" holds classified data (phi) and keeps Performance Insights data without a customer-managed KMS key (performance_insights_kms_key_id = \"arn:aws:kms:eu-west-1:123456789012:alias/aws/rds\")",
	)} with input as _inventory([r])
}

test_fail_default_key_on_cluster if {
	r := _resource("aws_rds_cluster", "claims", {"DataClassification": "pci, pii"}, {"performance_insights_enabled": true, "performance_insights_kms_key_id": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_rds_cluster.claims", "aws_rds_cluster",
		"aws_rds_cluster \"claims\" holds classified data (pci, pii) and keeps Performance Insights data without a customer-managed KMS key (performance_insights_kms_key_id = null)",
	)} with input as _inventory([r])
}

test_fail_empty_key if {
	r := _db({"performance_insights_enabled": true, "performance_insights_kms_key_id": ""}, [])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_pass_unclassified_out_of_scope if {
	r := _resource("aws_db_instance", "scratch", {"DataClassification": "public"}, {"performance_insights_enabled": true, "performance_insights_kms_key_id": null}, [])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_missing_performance_insights_enabled if {
	r := _db({"performance_insights_kms_key_id": _aws_key}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.patients", "aws_db_instance",
		"aws_db_instance \"patients\": performance_insights_enabled is missing from the inventory", ["performance_insights_enabled"],
	)} with input as _inventory([r])
}

test_missing_key_with_insights_on if {
	r := _db({"performance_insights_enabled": true}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.patients", "aws_db_instance",
		"aws_db_instance \"patients\": performance_insights_kms_key_id is missing from the inventory", ["performance_insights_kms_key_id"],
	)} with input as _inventory([r])
}

# Terraform computes the default key at apply: unknown, not a pass.
test_unknown_key_with_insights_on if {
	r := _db({"performance_insights_enabled": true}, ["performance_insights_kms_key_id"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.patients", "aws_db_instance",
		"aws_db_instance \"patients\": performance_insights_kms_key_id is known only after apply", ["performance_insights_kms_key_id"],
	)} with input as _inventory([r])
}

test_unknown_enabled if {
	r := _db({"performance_insights_enabled": true}, ["performance_insights_enabled", "performance_insights_kms_key_id"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.patients", "aws_db_instance",
		"aws_db_instance \"patients\": performance_insights_enabled is known only after apply", ["performance_insights_enabled"],
	)} with input as _inventory([r])
}

test_missing_shape_enabled_as_text if {
	r := _db({"performance_insights_enabled": "true", "performance_insights_kms_key_id": _cmk}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.patients", "aws_db_instance",
		"aws_db_instance \"patients\": performance_insights_enabled is not a boolean (\"true\")", ["performance_insights_enabled"],
	)} with input as _inventory([r])
}
