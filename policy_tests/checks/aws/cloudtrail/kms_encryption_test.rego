package checks.aws.cloudtrail.kms_encryption_test

import data.checks.aws.cloudtrail.kms_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CT-003",
	"title": "CloudTrail logs not encrypted with a KMS key",
	"description": "Without a KMS key trail logs get SSE-S3 only, so anyone with read access to the log bucket can read them; SSE-KMS adds a key policy that limits who can decrypt the audit trail, and logs every use of that key.",
	"severity": "medium",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["10.3.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.15", "A.8.24"],
	},
	"remediation": "Set kms_key_id on the trail to a customer-managed KMS key whose policy lets cloudtrail.amazonaws.com encrypt and only the audit readers decrypt.",
}

_address := "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/cloudtrail", "status": "complete"}],
	"resources": resources,
}

_trail(attributes) := {
	"address": _address,
	"type": "aws_cloudtrail",
	"provider": "aws",
	"name": "org-trail",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_cloudtrail", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_cloudtrail", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_trail(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_kms_key_set if {
	r := _trail({"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_kms_key_null if {
	findings := _findings({"kms_key_id": null})
	findings == {expect.fail(
		_metadata, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail", "aws_cloudtrail",
		"CloudTrail trail \"org-trail\" logs are not encrypted with a KMS key (kms_key_id not set)",
	)}
}

# Terraform state records an unset key as an empty string.
test_fail_kms_key_empty_string if {
	_findings({"kms_key_id": ""}) == {_fail("CloudTrail trail \"org-trail\" logs are not encrypted with a KMS key (kms_key_id not set)")}
}

test_missing_kms_key_id if {
	_findings({"name": "org-trail"}) == {_indeterminate(
		"CloudTrail trail \"org-trail\": kms_key_id is missing from the inventory",
		["kms_key_id"],
	)}
}

test_unknown_kms_key_id if {
	r := object.union(_trail({"kms_key_id": null}), {"unknown": ["kms_key_id"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"CloudTrail trail \"org-trail\": kms_key_id is known only after apply",
		["kms_key_id"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"kms_key_id": null},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
