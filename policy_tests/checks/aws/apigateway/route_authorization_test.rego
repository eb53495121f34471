package checks.aws.apigateway.route_authorization_test

import data.checks.aws.apigateway.route_authorization as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-APIGW-003",
	"title": "API Gateway HTTP or WebSocket route without authorization",
	"description": "A route with authorization type NONE can be called by anyone who can reach the API, with no IAM signature, JWT or authorizer to identify the caller.",
	"severity": "medium",
	"resource_types": [
		"aws_apigatewayv2_route",
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
	"remediation": "Set authorization_type to AWS_IAM, JWT or CUSTOM (with authorizer_id) on the route. Judged are HTTP routes (\"GET /items\", \"ANY /{proxy+}\") but OPTIONS, and the WebSocket $connect route (the only WebSocket route that takes an authorizer).",
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

test_pass_jwt if {
	r := _resource("aws_apigatewayv2_route", "items", {"route_key": "GET /items", "authorization_type": "JWT"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_options_out_of_scope if {
	r := _resource("aws_apigatewayv2_route", "items", {"route_key": "OPTIONS /items", "authorization_type": "NONE"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_pass_websocket_message_route_out_of_scope if {
	r := _resource("aws_apigatewayv2_route", "items", {"route_key": "sendmessage", "authorization_type": "NONE"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_none if {
	r := _resource("aws_apigatewayv2_route", "items", {"route_key": "ANY /{proxy+}", "authorization_type": "NONE"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway route \"items\" (ANY /{proxy+}) lets any caller in (authorization_type = NONE)")}
}

test_fail_websocket_connect if {
	r := _resource("aws_apigatewayv2_route", "items", {"route_key": "$connect", "authorization_type": "NONE"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway route \"items\" ($connect) lets any caller in (authorization_type = NONE)")}
}

test_missing_authorization_type if {
	r := _resource("aws_apigatewayv2_route", "items", {"route_key": "GET /items"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway route \"items\": authorization_type is missing from the inventory", ["authorization_type"])}
}

test_unknown_route_key if {
	r := _resource("aws_apigatewayv2_route", "items", {"authorization_type": "NONE"}, ["route_key"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway route \"items\": route_key is known only after apply", ["route_key"])}
}
