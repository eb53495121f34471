package checks.aws.s3.mfa_delete_audit_buckets_test

import data.checks.aws.s3.mfa_delete_audit_buckets as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-009",
	"title": "Audit-log or evidence bucket without MFA delete",
	"description": "On a bucket that keeps audit logs or compliance evidence, MFA delete makes permanently deleting an object version, or suspending versioning, need the root user's MFA device as well as its credentials, so stolen keys alone cannot erase the record. Such buckets are the ones whose purpose tag names audit logs or evidence (the same as AWS-S3-007).",
	"severity": "medium",
	"resource_types": ["aws_s3_bucket"],
	"controls": {"gdpr": ["Art.5(1)(f)", "Art.32(1)(b)"], "hipaa": ["164.312(b)", "164.312(c)(1)"], "iso27001": ["A.8.15", "A.5.33"], "pci_dss": ["10.3.2"], "soc2": ["CC7.2"]},
	"remediation": "Turn versioning on with MFA delete: as the root user with its MFA device, call PutBucketVersioning with MFADelete Enabled (or set versioning_configuration.mfa_delete = \"Enabled\" and the mfa argument of aws_s3_bucket_versioning). Object Lock (AWS-S3-007) complements it.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/s3", "status": "complete"}],
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

_bucket(purpose, attributes, unknown) := _resource("aws_s3_bucket", "audit", {"Purpose": purpose}, attributes, unknown)

test_pass_mfa_delete_on if {
	r := _bucket("audit-logs", {"versioning": {"status": "Enabled", "mfa_delete": "Enabled"}}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_no_versioning if {
	r := _bucket("audit-logs", {"versioning": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
		"S3 bucket \"audit\" holds audit-logs without versioning, so MFA delete is off",
	)} with input as _inventory([r])
}

test_fail_mfa_delete_disabled if {
	r := _bucket("evidence", {"versioning": {"status": "Enabled", "mfa_delete": "Disabled"}}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
		"S3 bucket \"audit\" holds evidence with MFA delete off (versioning.mfa_delete = \"Disabled\")",
	)} with input as _inventory([r])
}

test_fail_mfa_delete_never_set if {
	r := _bucket("Audit-Logs", {"versioning": {"status": "Enabled", "mfa_delete": null}}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
		"S3 bucket \"audit\" holds audit-logs with MFA delete off (versioning.mfa_delete = null)",
	)} with input as _inventory([r])
}

test_pass_other_bucket_out_of_scope if {
	r := _bucket("website", {"versioning": null}, [])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_missing_versioning if {
	r := _bucket("audit-logs", {"bucket": "audit"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
		"S3 bucket \"audit\": versioning is missing from the inventory", ["versioning"],
	)} with input as _inventory([r])
}

test_missing_mfa_delete_in_versioning if {
	r := _bucket("audit-logs", {"versioning": {"status": "Enabled"}}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
		"S3 bucket \"audit\": versioning.mfa_delete is missing from the inventory", ["versioning.mfa_delete"],
	)} with input as _inventory([r])
}

test_unknown_mfa_delete if {
	r := _bucket("audit-logs", {"versioning": {"status": "Enabled"}}, ["versioning.mfa_delete"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
		"S3 bucket \"audit\": versioning.mfa_delete is known only after apply", ["versioning.mfa_delete"],
	)} with input as _inventory([r])
}

test_unknown_versioning if {
	r := _bucket("audit-logs", {}, ["versioning"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
		"S3 bucket \"audit\": versioning is known only after apply", ["versioning"],
	)} with input as _inventory([r])
}

test_missing_shape_unexpected_values if {
	word := _bucket("audit-logs", {"versioning": {"status": "Enabled", "mfa_delete": "enabled"}}, [])
	text := object.union(_bucket("audit-logs", {"versioning": "Enabled"}, []), {"name": "audit-2", "address": "aws_s3_bucket.audit-2"})
	check.findings == {
		expect.indeterminate(
			_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
			"S3 bucket \"audit\": versioning.mfa_delete is neither Enabled nor Disabled (\"enabled\")", ["versioning.mfa_delete"],
		),
		expect.indeterminate(
			_metadata, "aws_s3_bucket.audit-2", "aws_s3_bucket",
			"S3 bucket \"audit-2\": versioning is not an object (\"Enabled\")", ["versioning"],
		),
	} with input as _inventory([word, text])
}

test_unknown_status_without_a_block if {
	r := _bucket("audit-logs", {}, ["versioning.status"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.audit", "aws_s3_bucket",
		"S3 bucket \"audit\": versioning is known only after apply", ["versioning"],
	)} with input as _inventory([r])
}

test_fail_mfa_delete_off_beside_unknown_status if {
	r := _bucket("audit-logs", {"versioning": {"mfa_delete": "Disabled"}}, ["versioning.status"])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}
