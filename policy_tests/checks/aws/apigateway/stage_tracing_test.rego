package checks.aws.apigateway.stage_tracing_test

import data.checks.aws.apigateway.stage_tracing as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-APIGW-006",
	"title": "API Gateway REST stage without X-Ray tracing",
	"description": "Without tracing a request through the API and its integrations leaves no trace of where it went, which slows the investigation of an incident.",
	"severity": "low",
	"resource_types": [
		"aws_api_gateway_stage",
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
			"A.8.16",
		],
	},
	"remediation": "Set xray_tracing_enabled = true on the stage.",
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

test_pass_tracing if {
	r := _resource("aws_api_gateway_stage", "prod", {"xray_tracing_enabled": true}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_no_tracing if {
	r := _resource("aws_api_gateway_stage", "prod", {"xray_tracing_enabled": false}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway stage \"prod\" does not trace requests (xray_tracing_enabled not true)")}
}

test_missing_flag if {
	r := _resource("aws_api_gateway_stage", "prod", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway stage \"prod\": xray_tracing_enabled is missing from the inventory", ["xray_tracing_enabled"])}
}

test_unknown_flag if {
	r := _resource("aws_api_gateway_stage", "prod", {}, ["xray_tracing_enabled"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway stage \"prod\": xray_tracing_enabled is known only after apply", ["xray_tracing_enabled"])}
}
