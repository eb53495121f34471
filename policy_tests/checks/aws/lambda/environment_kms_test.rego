package checks.aws.lambda.environment_kms_test

import data.checks.aws.lambda.environment_kms as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-LMB-001",
	"title": "Lambda environment variables not encrypted with a customer-managed key",
	"description": "Environment variables often carry connection strings and tokens; under the AWS-managed key anyone allowed to read the function's configuration reads them, with no key policy of your own to restrict or audit decryption.",
	"severity": "medium",
	"resource_types": [
		"aws_lambda_function",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(a)",
		],
		"hipaa": [
			"164.312(a)(2)(iv)",
		],
		"pci_dss": [
			"3.5.1",
			"3.6.1",
		],
		"soc2": [
			"CC6.1",
		],
		"iso27001": [
			"A.8.24",
		],
	},
	"remediation": "Set kms_key_arn on the function to a customer-managed KMS key whose policy lets only the function's role and its administrators decrypt, or move secrets out of environment variables into Secrets Manager.",
}

_inventory(resources, parameters) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "terraform_plan", "scope": "plan.json", "status": "complete"}],
	"parameters": parameters,
	"resources": resources,
}

_resource(type, name, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": object.get(attributes, "tags", {}),
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_customer_key if {
	r := _resource("aws_lambda_function", "orders", {"environment": {"variables": {"STAGE": "prod"}}, "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/1"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_no_environment_block if {
	r := _resource("aws_lambda_function", "orders", {"environment": null, "kms_key_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_empty_variables if {
	r := _resource("aws_lambda_function", "orders", {"environment": {"variables": {}}, "kms_key_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_variables_without_key if {
	r := _resource("aws_lambda_function", "orders", {"environment": {"variables": {"STAGE": "prod"}}, "kms_key_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function \"orders\" has environment variables encrypted only with the AWS-managed key (kms_key_arn not set)")}
}

test_fail_empty_key if {
	r := _resource("aws_lambda_function", "orders", {"environment": {"variables": {"STAGE": "prod"}}, "kms_key_arn": ""}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function \"orders\" has environment variables encrypted only with the AWS-managed key (kms_key_arn not set)")}
}

test_missing_environment if {
	r := _resource("aws_lambda_function", "orders", {"kms_key_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": environment is missing from the inventory", ["environment"])}
}

test_pass_missing_environment_with_key if {
	r := _resource("aws_lambda_function", "orders", {"kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/1"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_missing_kms_key_arn if {
	r := _resource("aws_lambda_function", "orders", {"environment": {"variables": {"STAGE": "prod"}}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": kms_key_arn is missing from the inventory", ["kms_key_arn"])}
}

test_unknown_kms_key_arn if {
	r := _resource("aws_lambda_function", "orders", {"environment": {"variables": {"STAGE": "prod"}}}, ["kms_key_arn"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": kms_key_arn is known only after apply", ["kms_key_arn"])}
}

test_unknown_variable_value if {
	r := _resource("aws_lambda_function", "orders", {"environment": {"variables": {"A": "1"}}, "kms_key_arn": null}, ["environment.variables.B"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": environment is known only after apply", ["environment"])}
}
