package checks.aws.cloudfront.viewer_https_test

import data.checks.aws.cloudfront.viewer_https as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CF-001",
	"title": "CloudFront distribution lets viewers use plain HTTP",
	"description": "A cache behavior with viewer protocol policy allow-all serves content and accepts cookies and form posts over unencrypted HTTP.",
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
	"remediation": "Set viewer_protocol_policy to \"redirect-to-https\" or \"https-only\" on the default cache behavior and on every ordered cache behavior.",
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

test_pass_redirect_and_https_only if {
	r := _resource("aws_cloudfront_distribution", "site", {"default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "redirect-to-https"}, "ordered_cache_behavior": [{"path_pattern": "/api/*", "viewer_protocol_policy": "https-only"}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_no_ordered_behaviors if {
	r := _resource("aws_cloudfront_distribution", "site", {"default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "https-only"}, "ordered_cache_behavior": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_default_and_ordered_allow_all if {
	r := _resource("aws_cloudfront_distribution", "site", {"default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "allow-all"}, "ordered_cache_behavior": [{"path_pattern": "/img/*", "viewer_protocol_policy": "allow-all"}, {"path_pattern": "/api/*", "viewer_protocol_policy": "https-only"}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" serves plain HTTP (viewer_protocol_policy allow-all) on: default, /img/*")}
}

test_fail_known_allow_all_despite_unknown_default if {
	r := _resource("aws_cloudfront_distribution", "site", {"default_cache_behavior": {}, "ordered_cache_behavior": [{"path_pattern": "/img/*", "viewer_protocol_policy": "allow-all"}]}, ["default_cache_behavior.viewer_protocol_policy"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" serves plain HTTP (viewer_protocol_policy allow-all) on: /img/*")}
}

test_pass_odd_ordered_entry if {
	r := _resource("aws_cloudfront_distribution", "site", {"default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "https-only"}, "ordered_cache_behavior": [null]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_missing_behaviors if {
	r := _resource("aws_cloudfront_distribution", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": the viewer protocol policy of default_cache_behavior, ordered_cache_behavior is not known (only after apply, or missing from the inventory)", ["default_cache_behavior", "ordered_cache_behavior"])}
}

test_unknown_ordered_behavior_policy if {
	r := _resource("aws_cloudfront_distribution", "site", {"default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "https-only"}, "ordered_cache_behavior": [{"path_pattern": "/img/*"}]}, ["ordered_cache_behavior.0.viewer_protocol_policy"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": the viewer protocol policy of ordered_cache_behavior is not known (only after apply, or missing from the inventory)", ["ordered_cache_behavior"])}
}
