package checks.aws.apigateway.stage_access_logging_test

import data.checks.aws.apigateway.stage_access_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-APIGW-001",
	"title": "API Gateway stage without access logging",
	"description": "Without access logs there is no record of who called which API route and with what result, so abuse and data access through the API cannot be traced.",
	"severity": "medium",
	"resource_types": [
		"aws_api_gateway_stage",
		"aws_apigatewayv2_stage",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(b)",
		],
		"pci_dss": [
			"10.2.1",
		],
		"soc2": [
			"CC7.2",
		],
		"iso27001": [
			"A.8.15",
		],
	},
	"remediation": "Add an access_log_settings block with destination_arn set to a CloudWatch log group (or Firehose stream) and a format that records the caller, route, status and request id.",
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

test_pass_logging if {
	r := _resource("aws_api_gateway_stage", "prod", {"access_log_settings": {"destination_arn": "arn:aws:logs:eu-west-1:123456789012:log-group:api", "format": "$context.requestId"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_no_settings if {
	r := _resource("aws_api_gateway_stage", "prod", {"access_log_settings": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway stage \"prod\" has no access logging (access_log_settings.destination_arn not set)")}
}

test_fail_http_api_stage if {
	r := _resource("aws_apigatewayv2_stage", "prod", {"access_log_settings": {"destination_arn": ""}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway stage \"prod\" has no access logging (access_log_settings.destination_arn not set)")}
}

test_missing_settings if {
	r := _resource("aws_api_gateway_stage", "prod", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway stage \"prod\": access_log_settings is missing from the inventory", ["access_log_settings"])}
}

test_unknown_destination if {
	r := _resource("aws_api_gateway_stage", "prod", {"access_log_settings": {"format": "x"}}, ["access_log_settings.destination_arn"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway stage \"prod\": access_log_settings is known only after apply", ["access_log_settings"])}
}
