package checks.aws.cloudwatch.kms_encryption_test

import data.checks.aws.cloudwatch.kms_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CWL-002",
	"title": "CloudWatch log group not encrypted with a KMS key",
	"description": "Log events often carry personal data, tokens or query text. Without a KMS key they are encrypted only with keys CloudWatch manages, so reading them needs no key permission and the data cannot be crypto-shredded.",
	"severity": "low",
	"resource_types": ["aws_cloudwatch_log_group"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["10.3.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.15", "A.8.24"],
	},
	"remediation": "Set kms_key_id on the aws_cloudwatch_log_group to a customer-managed KMS key whose policy allows the logs.<region>.amazonaws.com service principal.",
}

_address := "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/logs", "status": "complete"}],
	"resources": resources,
}

_group(attributes) := {
	"address": _address,
	"type": "aws_cloudwatch_log_group",
	"provider": "aws",
	"name": "/aws/lambda/orders",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_cloudwatch_log_group", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_cloudwatch_log_group", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_group(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_kms_key_set if {
	r := _group({"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_kms_key_null if {
	findings := _findings({"kms_key_id": null})
	findings == {expect.fail(
		_metadata, "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders", "aws_cloudwatch_log_group",
		"CloudWatch log group \"/aws/lambda/orders\" is not encrypted with a KMS key (kms_key_id not set)",
	)}
}

# Terraform state records an unset key as an empty string.
test_fail_kms_key_empty_string if {
	_findings({"kms_key_id": ""}) == {_fail("CloudWatch log group \"/aws/lambda/orders\" is not encrypted with a KMS key (kms_key_id not set)")}
}

test_missing_kms_key_id if {
	_findings({"name": "/aws/lambda/orders"}) == {_indeterminate(
		"CloudWatch log group \"/aws/lambda/orders\": kms_key_id is missing from the inventory",
		["kms_key_id"],
	)}
}

test_unknown_kms_key_id if {
	r := object.union(_group({"kms_key_id": null}), {"unknown": ["kms_key_id"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"CloudWatch log group \"/aws/lambda/orders\": kms_key_id is known only after apply",
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
