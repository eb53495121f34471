package checks.aws.cloudfront.origin_https_test

import data.checks.aws.cloudfront.origin_https as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CF-003",
	"title": "CloudFront distribution reaches custom origins over plain HTTP",
	"description": "With origin protocol policy http-only (or match-viewer while viewers may use HTTP) requests and responses cross the internet between CloudFront and the origin unencrypted.",
	"severity": "high",
	"resource_types": [
		"aws_cloudfront_distribution",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(a)",
		],
		"hipaa": [
			"164.312(e)(1)",
			"164.312(e)(2)(ii)",
		],
		"pci_dss": [
			"4.2.1",
		],
		"soc2": [
			"CC6.7",
		],
		"iso27001": [
			"A.8.24",
			"A.8.20",
		],
	},
	"remediation": "Set custom_origin_config origin_protocol_policy = \"https-only\" on every custom origin and serve the origin with a certificate CloudFront trusts.",
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

test_pass_https_only_and_s3_origin if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [{"origin_id": "site", "domain_name": "site.s3.amazonaws.com", "custom_origin_config": null}, {"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2"]}}], "default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "allow-all"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_match_viewer_with_https_viewers if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [{"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "match-viewer", "origin_ssl_protocols": ["TLSv1.2"]}}], "default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "redirect-to-https"}, "ordered_cache_behavior": []}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_unknown_domain_does_not_hide_origins if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [{"origin_id": "site", "custom_origin_config": null}, {"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2"]}}]}, ["origin.0.domain_name"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_match_viewer_with_default_allow_all_and_odd_origin if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [null, {"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "match-viewer", "origin_ssl_protocols": ["TLSv1.2"]}}], "default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "allow-all"}, "ordered_cache_behavior": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" reaches origins over plain HTTP: api (match-viewer)")}
}

test_fail_http_only if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [{"origin_id": "site", "domain_name": "site.s3.amazonaws.com", "custom_origin_config": null}, {"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "http-only", "origin_ssl_protocols": ["TLSv1.2"]}}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" reaches origins over plain HTTP: api (http-only)")}
}

test_fail_match_viewer_with_http_viewers if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [{"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "match-viewer", "origin_ssl_protocols": ["TLSv1.2"]}}], "default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "https-only"}, "ordered_cache_behavior": [{"path_pattern": "/x", "viewer_protocol_policy": "allow-all"}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" reaches origins over plain HTTP: api (match-viewer)")}
}

test_missing_origin if {
	r := _resource("aws_cloudfront_distribution", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": origin is missing from the inventory", ["origin"])}
}

test_unknown_custom_origin_config if {
	r := _resource("aws_cloudfront_distribution", "site", {"origin": [{"origin_id": "api"}]}, ["origin.0.custom_origin_config"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": origin is known only after apply", ["origin"])}
}
