package checks.aws.lambda.url_without_auth_test

import data.checks.aws.lambda.url_without_auth as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-LMB-002",
	"title": "Lambda function URL without authentication",
	"description": "A function URL with authorization type NONE lets anyone on the internet invoke the function, with no IAM signature to identify or limit callers.",
	"severity": "high",
	"resource_types": [
		"aws_lambda_function_url",
	],
	"controls": {
		"gdpr": [
			"Art.25(2)",
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(a)(1)",
			"164.312(d)",
		],
		"pci_dss": [
			"7.2.1",
			"8.3.1",
		],
		"soc2": [
			"CC6.1",
			"CC6.6",
		],
		"iso27001": [
			"A.8.5",
			"A.5.15",
		],
	},
	"remediation": "Set authorization_type = \"AWS_IAM\" on the function URL and grant lambda:InvokeFunctionUrl to the callers that need it, or put the function behind API Gateway or CloudFront with authentication.",
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

test_pass_aws_iam if {
	r := _resource("aws_lambda_function_url", "webhook", {"authorization_type": "AWS_IAM"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_none if {
	r := _resource("aws_lambda_function_url", "webhook", {"authorization_type": "NONE"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function URL \"webhook\" lets anyone invoke the function (authorization_type = NONE)")}
}

test_missing_authorization_type if {
	r := _resource("aws_lambda_function_url", "webhook", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function URL \"webhook\": authorization_type is missing from the inventory", ["authorization_type"])}
}

test_unknown_authorization_type if {
	r := _resource("aws_lambda_function_url", "webhook", {}, ["authorization_type"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function URL \"webhook\": authorization_type is known only after apply", ["authorization_type"])}
}
