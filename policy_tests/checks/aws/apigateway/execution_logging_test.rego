package checks.aws.apigateway.execution_logging_test

import data.checks.aws.apigateway.execution_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-APIGW-007",
	"title": "API Gateway REST stage methods with execution logging off",
	"description": "Without execution logging (logging_level ERROR or INFO) API Gateway writes nothing about authorizer failures, integration errors and throttling to CloudWatch, so an attack or an outage on the API leaves no trace to investigate.",
	"severity": "medium",
	"resource_types": ["aws_api_gateway_method_settings"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Set settings.logging_level = \"ERROR\" (or \"INFO\", without data_trace_enabled where requests carry personal data) for method_path \"*/*\", after giving API Gateway a CloudWatch role (aws_api_gateway_account).",
}

_address := "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod/methodsettings/*/*"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/apigateway", "status": "complete"}],
	"resources": resources,
}

_settings(settings) := {
	"address": _address,
	"type": "aws_api_gateway_method_settings",
	"provider": "aws",
	"name": "orders-api-prod",
	"attributes": {"rest_api_id": "a1b2c3d4e5", "stage_name": "prod", "method_path": "*/*", "settings": settings},
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(level) := expect.fail(_metadata, _address, "aws_api_gateway_method_settings", sprintf("API Gateway method settings \"orders-api-prod\" (*/*) have execution logging off (logging_level = %s)", [level]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_error_or_info if {
	r := _settings({"logging_level": "ERROR", "caching_enabled": false})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
	count(_findings(_settings({"logging_level": "INFO"}))) == 0
}

test_fail_off_or_unset if {
	_findings(_settings({"logging_level": "OFF"})) == {_fail("OFF")}
	_findings(_settings({"logging_level": null})) == {_fail("unset")}
	_findings(_settings(null)) == {_fail("unset")}
}

test_missing_logging_level if {
	_findings(_settings({"caching_enabled": false})) == {expect.indeterminate(
		_metadata, _address, "aws_api_gateway_method_settings",
		"API Gateway method settings \"orders-api-prod\" (*/*): settings.logging_level is missing from the inventory", ["settings.logging_level"],
	)}
	_findings(_settings({"logging_level": 1})) == {expect.indeterminate(
		_metadata, _address, "aws_api_gateway_method_settings",
		"API Gateway method settings \"orders-api-prod\" (*/*): settings.logging_level is not text", ["settings.logging_level"],
	)}
}

test_unknown_logging_level if {
	r := object.union(_settings({"logging_level": null}), {"unknown": ["settings.logging_level"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_api_gateway_method_settings",
		"API Gateway method settings \"orders-api-prod\" (*/*): settings.logging_level is known only after apply", ["settings.logging_level"],
	)}
}
