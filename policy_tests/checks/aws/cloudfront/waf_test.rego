package checks.aws.cloudfront.waf_test

import data.checks.aws.cloudfront.waf as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CF-006",
	"title": "CloudFront distribution without a WAF web ACL",
	"description": "A distribution without a web ACL passes injection, scraping and layer 7 flood traffic straight to its origins.",
	"severity": "medium",
	"resource_types": [
		"aws_cloudfront_distribution",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.308(a)(1)(ii)(B)",
		],
		"pci_dss": [
			"6.4.1",
			"6.4.2",
		],
		"soc2": [
			"CC6.6",
		],
		"iso27001": [
			"A.8.20",
			"A.8.21",
		],
	},
	"remediation": "Create an aws_wafv2_web_acl with scope CLOUDFRONT (in us-east-1), with the AWS managed core and known-bad-inputs rule groups at least, and set its ARN as web_acl_id on the distribution.",
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

test_pass_web_acl if {
	r := _resource("aws_cloudfront_distribution", "site", {"web_acl_id": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_empty_web_acl if {
	r := _resource("aws_cloudfront_distribution", "site", {"web_acl_id": ""}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" has no WAF web ACL (web_acl_id not set)")}
}

test_missing_web_acl if {
	r := _resource("aws_cloudfront_distribution", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": web_acl_id is missing from the inventory", ["web_acl_id"])}
}

test_unknown_web_acl if {
	r := _resource("aws_cloudfront_distribution", "site", {}, ["web_acl_id"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": web_acl_id is known only after apply", ["web_acl_id"])}
}
