package checks.aws.dynamodb.customer_managed_key_test

import data.checks.aws.dynamodb.customer_managed_key as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-DDB-002",
	"title": "DynamoDB table holding classified data not encrypted with a customer-managed KMS key",
	"description": "Every DynamoDB table is encrypted, but by default with an AWS-owned or AWS-managed key that the account cannot restrict, audit per use or revoke; classified data needs a customer-managed key under its own key policy.",
	"severity": "medium",
	"resource_types": ["aws_dynamodb_table"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1", "3.6.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set server_side_encryption { enabled = true, kms_key_arn = <customer-managed key ARN> } on the table; DynamoDB switches the key in place.",
}

_cmk := "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000003"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/dynamodb", "status": "complete"}],
	"resources": resources,
}

_table(attributes) := {
	"address": "arn:aws:dynamodb:eu-west-1:123456789012:table/customers",
	"type": "aws_dynamodb_table",
	"provider": "aws",
	"name": "customers",
	"tags": {"DataClassification": "pii, confidential"},
	"attributes": attributes,
}

_fail(reason) := expect.fail(
	_metadata, "arn:aws:dynamodb:eu-west-1:123456789012:table/customers", "aws_dynamodb_table",
	sprintf("aws_dynamodb_table \"customers\" holds classified data (confidential, pii) without a customer-managed KMS key (%s)", [reason]),
)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_classified_table_with_customer_key if {
	r := _table({"server_side_encryption": {"enabled": true, "kms_key_arn": _cmk}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_default_aws_owned_key if {
	r := _table({"server_side_encryption": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:dynamodb:eu-west-1:123456789012:table/customers", "aws_dynamodb_table",
		"aws_dynamodb_table \"customers\" holds classified data (confidential, pii) without a customer-managed KMS key (server_side_encryption = null: AWS-owned key)",
	)}
}

test_fail_sse_disabled if {
	r := _table({"server_side_encryption": {"enabled": false, "kms_key_arn": null}})
	check.findings == {_fail("server_side_encryption.enabled = false: AWS-owned key")} with input as _inventory([r])
}

# enabled absent from the block is the provider's default, false.
test_fail_sse_block_without_enabled if {
	r := _table({"server_side_encryption": {"kms_key_arn": _cmk}})
	check.findings == {_fail("server_side_encryption.enabled = false: AWS-owned key")} with input as _inventory([r])
}

test_fail_aws_managed_key if {
	r := _table({"server_side_encryption": {"enabled": true, "kms_key_arn": null}})
	check.findings == {_fail("kms_key_arn = null: AWS-managed key")} with input as _inventory([r])
}

test_fail_aws_managed_key_alias if {
	r := _table({"server_side_encryption": {"enabled": true, "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:alias/aws/dynamodb"}})
	check.findings == {_fail("kms_key_arn = \"arn:aws:kms:eu-west-1:123456789012:alias/aws/dynamodb\": AWS-managed key")} with input as _inventory([r])
}

test_fail_enabled_without_key_field if {
	r := _table({"server_side_encryption": {"enabled": true}})
	check.findings == {_fail("kms_key_arn = null: AWS-managed key")} with input as _inventory([r])
}

test_missing_server_side_encryption if {
	r := _table({"name": "customers"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:dynamodb:eu-west-1:123456789012:table/customers", "aws_dynamodb_table",
		"aws_dynamodb_table \"customers\": server_side_encryption is missing from the inventory",
		["server_side_encryption"],
	)}
}

test_unknown_kms_key_arn if {
	r := object.union(_table({"server_side_encryption": {"enabled": true, "kms_key_arn": null}}), {"unknown": ["server_side_encryption.kms_key_arn"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:dynamodb:eu-west-1:123456789012:table/customers", "aws_dynamodb_table",
		"aws_dynamodb_table \"customers\": server_side_encryption is known only after apply",
		["server_side_encryption"],
	)}
}

test_pass_unclassified_table_out_of_scope if {
	r := object.union(_table({"server_side_encryption": null}), {"tags": {"DataClassification": "public"}})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_pass_classified_by_data_classes if {
	r := object.union(object.remove(_table({"server_side_encryption": {"enabled": true, "kms_key_arn": _cmk}}), ["tags"]), {"data_classes": ["phi"]})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	instance := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"tags": {"DataClassification": "pii"},
		"attributes": {"server_side_encryption": null},
	}
	count(check.findings) == 0 with input as _inventory([instance])
	count(check.resources) == 0 with input as _inventory([instance])
}
