package checks.aws.cloudfront.minimum_tls_test

import data.checks.aws.cloudfront.minimum_tls as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CF-002",
	"title": "CloudFront distribution accepts viewer TLS below 1.2",
	"description": "A distribution on the default *.cloudfront.net certificate, or with a security policy older than TLSv1.2_2021, lets viewers negotiate TLS 1.0 or 1.1 or weak ciphers.",
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
	"remediation": "Serve the distribution with an ACM certificate (viewer_certificate acm_certificate_arn, ssl_support_method = \"sni-only\") and minimum_protocol_version = \"TLSv1.2_2021\" or newer; the accepted versions are the parameter cloudfront_minimum_protocol_versions.",
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

test_pass_tls12_2021 if {
	r := _resource("aws_cloudfront_distribution", "site", {"viewer_certificate": {"cloudfront_default_certificate": false, "acm_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/1", "minimum_protocol_version": "TLSv1.2_2021"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_default_certificate if {
	r := _resource("aws_cloudfront_distribution", "site", {"viewer_certificate": {"cloudfront_default_certificate": true, "minimum_protocol_version": "TLSv1"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" uses the default CloudFront certificate, which accepts TLS 1.0")}
}

test_fail_old_policy if {
	r := _resource("aws_cloudfront_distribution", "site", {"viewer_certificate": {"cloudfront_default_certificate": false, "minimum_protocol_version": "TLSv1.2_2019"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" accepts viewer TLS policy TLSv1.2_2019, older than the accepted versions")}
}

test_fail_no_viewer_certificate_block if {
	r := _resource("aws_cloudfront_distribution", "site", {"viewer_certificate": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" uses the default CloudFront certificate, which accepts TLS 1.0")}
}

test_fail_policy_not_in_parameter if {
	r := _resource("aws_cloudfront_distribution", "site", {"viewer_certificate": {"minimum_protocol_version": "TLSv1.2_2021"}}, [])
	inv := _inventory([r], {"cloudfront_minimum_protocol_versions": ["TLSv1.3_2025"]})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "CloudFront distribution \"site\" accepts viewer TLS policy TLSv1.2_2021, older than the accepted versions")}
}

test_missing_viewer_certificate if {
	r := _resource("aws_cloudfront_distribution", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": viewer_certificate is missing from the inventory", ["viewer_certificate"])}
}

test_unknown_certificate_arn if {
	r := _resource("aws_cloudfront_distribution", "site", {"viewer_certificate": {"minimum_protocol_version": "TLSv1"}}, ["viewer_certificate.acm_certificate_arn"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudFront distribution \"site\": viewer_certificate is known only after apply", ["viewer_certificate"])}
}
