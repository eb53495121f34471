package checks.aws.apigateway.domain_tls_test

import data.checks.aws.apigateway.domain_tls as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-APIGW-004",
	"title": "API Gateway custom domain accepts TLS below 1.2",
	"description": "A custom domain with security policy TLS_1_0 lets clients negotiate TLS 1.0 and 1.1, deprecated protocols with known weaknesses.",
	"severity": "medium",
	"resource_types": [
		"aws_api_gateway_domain_name",
		"aws_apigatewayv2_domain_name",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(a)",
		],
		"hipaa": [
			"164.312(e)(2)(ii)",
		],
		"pci_dss": [
			"4.2.1",
			"12.3.3",
		],
		"soc2": [
			"CC6.7",
		],
		"iso27001": [
			"A.8.24",
			"A.8.21",
		],
	},
	"remediation": "Set security_policy = \"TLS_1_2\" (aws_api_gateway_domain_name) or domain_name_configuration security_policy = \"TLS_1_2\" (aws_apigatewayv2_domain_name); the accepted policies are the parameter apigateway_accepted_security_policies.",
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

test_pass_tls12 if {
	r := _resource("aws_api_gateway_domain_name", "api", {"security_policy": "TLS_1_2"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_v2_tls12 if {
	r := _resource("aws_apigatewayv2_domain_name", "api", {"domain_name_configuration": {"security_policy": "TLS_1_2"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_tls10 if {
	r := _resource("aws_api_gateway_domain_name", "api", {"security_policy": "TLS_1_0"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway domain \"api\" accepts TLS below 1.2 (security_policy = TLS_1_0)")}
}

test_fail_v2_policy_not_in_parameter if {
	r := _resource("aws_apigatewayv2_domain_name", "api", {"domain_name_configuration": {"security_policy": "TLS_1_2"}}, [])
	inv := _inventory([r], {"apigateway_accepted_security_policies": ["SecurityPolicy_TLS13_1_3_2025_09"]})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway domain \"api\" accepts TLS below 1.2 (security_policy = TLS_1_2)")}
}

test_missing_security_policy if {
	r := _resource("aws_api_gateway_domain_name", "api", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway domain \"api\": security_policy is missing from the inventory", ["security_policy"])}
}

test_unknown_v2_security_policy if {
	r := _resource("aws_apigatewayv2_domain_name", "api", {"domain_name_configuration": {}}, ["domain_name_configuration.security_policy"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway domain \"api\": domain_name_configuration.security_policy is known only after apply", ["domain_name_configuration.security_policy"])}
}
