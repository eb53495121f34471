package checks.aws.apigateway.method_authorization_test

import data.checks.aws.apigateway.method_authorization as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-APIGW-002",
	"title": "API Gateway REST method without authorization",
	"description": "A method with authorization NONE can be called by anyone who can reach the API, with no IAM signature, authorizer or user pool token to identify the caller.",
	"severity": "medium",
	"resource_types": [
		"aws_api_gateway_method",
	],
	"controls": {
		"gdpr": [
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
		],
		"iso27001": [
			"A.8.5",
			"A.5.15",
		],
	},
	"remediation": "Set authorization to AWS_IAM, CUSTOM (with authorizer_id) or COGNITO_USER_POOLS on the method; an API key alone identifies a client for throttling, not a caller. CORS preflight (OPTIONS) methods are not judged.",
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

test_pass_iam if {
	r := _resource("aws_api_gateway_method", "get_items", {"http_method": "GET", "authorization": "AWS_IAM"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_options_out_of_scope if {
	r := _resource("aws_api_gateway_method", "get_items", {"http_method": "OPTIONS", "authorization": "NONE"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_none if {
	r := _resource("aws_api_gateway_method", "get_items", {"http_method": "GET", "authorization": "NONE", "api_key_required": true}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway method \"get_items\" (GET) lets any caller in (authorization = NONE)")}
}

test_missing_authorization if {
	r := _resource("aws_api_gateway_method", "get_items", {"http_method": "GET"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway method \"get_items\": authorization is missing from the inventory", ["authorization"])}
}

test_unknown_authorization if {
	r := _resource("aws_api_gateway_method", "get_items", {"http_method": "POST"}, ["authorization"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway method \"get_items\": authorization is known only after apply", ["authorization"])}
}
