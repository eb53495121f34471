package checks.aws.apigateway.cache_encryption_test

import data.checks.aws.apigateway.cache_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-APIGW-005",
	"title": "API Gateway response cache not encrypted",
	"description": "A stage cache holds API responses, often personal or account data; with caching on and cache_data_encrypted off they are stored unencrypted.",
	"severity": "medium",
	"resource_types": [
		"aws_api_gateway_method_settings",
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
		],
		"soc2": [
			"CC6.1",
		],
		"iso27001": [
			"A.8.24",
		],
	},
	"remediation": "Set settings.cache_data_encrypted = true wherever settings.caching_enabled is true.",
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

test_pass_encrypted if {
	r := _resource("aws_api_gateway_method_settings", "all", {"method_path": "*/*", "settings": {"caching_enabled": true, "cache_data_encrypted": true}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_caching_off if {
	r := _resource("aws_api_gateway_method_settings", "all", {"method_path": "*/*", "settings": {"caching_enabled": false, "cache_data_encrypted": false}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_unencrypted_cache if {
	r := _resource("aws_api_gateway_method_settings", "all", {"method_path": "items/GET", "settings": {"caching_enabled": true, "cache_data_encrypted": null}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway method settings \"all\" cache responses unencrypted (items/GET)")}
}

test_missing_settings if {
	r := _resource("aws_api_gateway_method_settings", "all", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway method settings \"all\": settings.caching_enabled is missing from the inventory", ["settings.caching_enabled"])}
}

test_unknown_encryption_flag if {
	r := _resource("aws_api_gateway_method_settings", "all", {"settings": {"caching_enabled": true}}, ["settings.cache_data_encrypted"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway method settings \"all\" cache responses; settings.cache_data_encrypted is known only after apply", ["settings.cache_data_encrypted"])}
}
