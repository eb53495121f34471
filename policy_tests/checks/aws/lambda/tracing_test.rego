package checks.aws.lambda.tracing_test

import data.checks.aws.lambda.tracing as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-LMB-005",
	"title": "Lambda function without active X-Ray tracing",
	"description": "Without active tracing a request through the function leaves no trace of where it went, which slows the investigation of an incident or an abuse.",
	"severity": "low",
	"resource_types": [
		"aws_lambda_function",
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
			"A.8.16",
		],
	},
	"remediation": "Add tracing_config { mode = \"Active\" } to the function and allow its role xray:PutTraceSegments and xray:PutTelemetryRecords.",
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

test_pass_active if {
	r := _resource("aws_lambda_function", "orders", {"tracing_config": {"mode": "Active"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_pass_through if {
	r := _resource("aws_lambda_function", "orders", {"tracing_config": {"mode": "PassThrough"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function \"orders\" does not trace requests actively (tracing_config.mode = PassThrough)")}
}

test_fail_no_block_is_pass_through if {
	r := _resource("aws_lambda_function", "orders", {"tracing_config": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function \"orders\" does not trace requests actively (tracing_config.mode = PassThrough)")}
}

test_missing_tracing_config if {
	r := _resource("aws_lambda_function", "orders", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": tracing_config is missing from the inventory", ["tracing_config"])}
}

test_unknown_tracing_config if {
	r := _resource("aws_lambda_function", "orders", {}, ["tracing_config"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": tracing_config is known only after apply", ["tracing_config"])}
}
