package checks.aws.s3.classified_kms_encryption_test

import data.checks.aws.s3.classified_kms_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-003",
	"title": "S3 bucket with classified data not encrypted with SSE-KMS",
	"description": "Buckets holding classified data (PII, PHI, cardholder or confidential data) must encrypt with a KMS key, so access to the data also needs kms:Decrypt, key use is logged in CloudTrail and the key can be disabled. SSE-S3 (AES256) or no default encryption does not give that control.",
	"severity": "high",
	"resource_types": ["aws_s3_bucket"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1", "3.6.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set the bucket's default encryption to sse_algorithm aws:kms (or aws:kms:dsse) with a customer-managed kms_master_key_id and bucket_key_enabled = true, then re-encrypt existing objects (S3 Batch Operations copy).",
}

_address := "arn:aws:s3:::acme-cardholder"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/s3", "status": "complete"}],
	"resources": resources,
}

_bucket(attributes) := {
	"address": _address,
	"type": "aws_s3_bucket",
	"provider": "aws",
	"name": "acme-cardholder",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_s3_bucket", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_s3_bucket", message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_classified(attributes) := object.union(_bucket(attributes), {"tags": {"DataClassification": "pci"}, "data_classes": ["pci"]})

_kms := {"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001"}

_classified_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_classified(attributes)])
}

test_pass_classified_bucket_with_sse_kms if {
	r := _classified({"bucket": "acme-cardholder", "server_side_encryption": _kms})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_classified_bucket_with_dsse_kms if {
	count(_classified_findings({"server_side_encryption": {"sse_algorithm": "aws:kms:dsse"}})) == 0
}

test_fail_classified_bucket_with_aes256 if {
	findings := _classified_findings({"bucket": "acme-cardholder", "server_side_encryption": {"sse_algorithm": "AES256", "kms_master_key_id": null}})
	findings == {expect.fail(
		_metadata, "arn:aws:s3:::acme-cardholder", "aws_s3_bucket",
		"S3 bucket \"acme-cardholder\" holds classified data (pci) but its default encryption is AES256, not SSE-KMS",
	)}
}

test_fail_classified_bucket_without_default_encryption if {
	_classified_findings({"server_side_encryption": null}) == {_fail("S3 bucket \"acme-cardholder\" holds classified data (pci) but its default encryption is none, not SSE-KMS")}
}

# Classes come from data_classes and from classification tags, sorted; public is not classified.
test_fail_names_classified_classes_from_tags_and_data_classes if {
	r := object.union(
		_bucket({"server_side_encryption": {"sse_algorithm": "AES256"}}),
		{"tags": {"Classification": "PHI, pii"}, "data_classes": ["public", "confidential"]},
	)
	findings := check.findings with input as _inventory([r])
	findings == {_fail("S3 bucket \"acme-cardholder\" holds classified data (confidential, phi, pii) but its default encryption is AES256, not SSE-KMS")}
}

test_pass_unclassified_bucket_not_evaluated if {
	r := object.union(_bucket({"server_side_encryption": {"sse_algorithm": "AES256"}}), {"tags": {"DataClassification": "public"}, "data_classes": ["public"]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

test_pass_untagged_bucket_not_evaluated if {
	r := _bucket({"server_side_encryption": null})
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

# Which classes count as classified is a parameter.
test_pass_classified_classes_parameter_overridden if {
	r := _classified({"server_side_encryption": {"sse_algorithm": "AES256"}})
	doc := object.union(_inventory([r]), {"parameters": {"classified_data_classes": ["phi"]}})
	findings := check.findings with input as doc
	count(findings) == 0
	resources := check.resources with input as doc
	count(resources) == 0
}

test_missing_server_side_encryption if {
	_classified_findings({"bucket": "acme-cardholder"}) == {_indeterminate(
		"S3 bucket \"acme-cardholder\": server_side_encryption is missing from the inventory",
		["server_side_encryption"],
	)}
}

test_missing_sse_algorithm_inside_rule if {
	_classified_findings({"server_side_encryption": {"kms_master_key_id": null}}) == {_indeterminate(
		"S3 bucket \"acme-cardholder\": server_side_encryption.sse_algorithm is missing from the inventory",
		["server_side_encryption.sse_algorithm"],
	)}
}

test_unknown_sse_algorithm if {
	r := object.union(
		_classified({"server_side_encryption": {"kms_master_key_id": null}}),
		{"unknown": ["server_side_encryption.sse_algorithm"]},
	)
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"S3 bucket \"acme-cardholder\": server_side_encryption is known only after apply",
		["server_side_encryption"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"server_side_encryption": null},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
