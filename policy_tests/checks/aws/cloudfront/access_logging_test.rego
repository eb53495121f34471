package checks.aws.cloudfront.access_logging_test

import data.checks.aws.cloudfront.access_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CF-005",
	"title": "CloudFront distribution without access logging",
	"description": "Without access logs there is no record of the requests the distribution served, so abuse and data exfiltration through the edge cannot be traced.",
	"severity": "medium",
	"resource_types": [
		"aws_cloudfront_distribution",
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
	"remediation": "Add a logging_config block with bucket set to an S3 bucket (its bucket_domain_name) that keeps ACLs enabled for log delivery.",
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
	r := _resource("aws_cloudfront_distribution", "site", {"logging_config": {"bucket": "acme-logs.s3.amazonaws.com", "include_cookies": false}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_no_logging if {
	r := _resource("aws_cloudfront_distribution", "site", {"logging_config": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" does not log requests (no logging_config bucket)")}
}

test_missing_logging_config if {
	r := _resource("aws_cloudfront_distribution", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": logging_config is missing from the inventory", ["logging_config"])}
}

test_unknown_bucket if {
	r := _resource("aws_cloudfront_distribution", "site", {"logging_config": {}}, ["logging_config.bucket"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": logging_config is known only after apply", ["logging_config"])}
}
