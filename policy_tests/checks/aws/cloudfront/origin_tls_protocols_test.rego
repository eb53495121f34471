package checks.aws.cloudfront.origin_tls_protocols_test

import data.checks.aws.cloudfront.origin_tls_protocols as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CF-004",
	"title": "CloudFront distribution allows SSLv3 or TLS below 1.2 to origins",
	"description": "Origin SSL protocols that include SSLv3, TLSv1 or TLSv1.1 let CloudFront fall back to broken or deprecated protocols when talking to the origin.",
	"severity": "medium",
	"resource_types": [
		"aws_cloudfront_distribution",
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
	"remediation": "Set origin_ssl_protocols = [\"TLSv1.2\"] in every custom_origin_config.",
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

test_pass_tls12_only if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [{"origin_id": "site", "domain_name": "site.s3.amazonaws.com", "custom_origin_config": null}, {"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2"]}}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_odd_origin_and_no_protocol_list if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [null, {"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "https-only", "origin_ssl_protocols": null}}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_weak_protocols if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [{"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2", "TLSv1", "SSLv3"]}}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" allows weak protocols to origins: api (SSLv3 TLSv1)")}
}

test_missing_origin if {
	r := _resource("aws_cloudfront_distribution", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": origin is missing from the inventory", ["origin"])}
}

test_unknown_origins if {
	r := _resource("aws_cloudfront_distribution", "site", {}, ["origin"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": origin is known only after apply", ["origin"])}
}
