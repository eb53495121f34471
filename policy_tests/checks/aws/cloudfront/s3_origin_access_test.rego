package checks.aws.cloudfront.s3_origin_access_test

import data.checks.aws.cloudfront.s3_origin_access as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CF-007",
	"title": "CloudFront serves an S3 bucket without origin access control",
	"description": "A distribution that fetches from an S3 REST endpoint without origin access control (or a legacy origin access identity) needs a bucket readable by everyone, so its objects can be fetched straight from S3, around the distribution's WAF, geo restrictions, signed URLs and logs.",
	"severity": "high",
	"resource_types": ["aws_cloudfront_distribution"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["1.4.2", "7.2.1"],
		"soc2": ["CC6.1", "CC6.6"],
		"iso27001": ["A.8.3", "A.8.20"],
	},
	"remediation": "Create an aws_cloudfront_origin_access_control (signing_behavior always, origin type s3), set origin_access_control_id on the origin, grant cloudfront.amazonaws.com s3:GetObject in the bucket policy with an AWS:SourceArn condition naming the distribution, then turn on the bucket's public access block.",
}

_address := "arn:aws:cloudfront::123456789012:distribution/E1A2B3C4D5E6F7"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/cloudfront", "status": "complete"}],
	"resources": resources,
}

_distribution(origins) := {
	"address": _address,
	"type": "aws_cloudfront_distribution",
	"provider": "aws",
	"name": "assets",
	"attributes": {"enabled": true, "origin": origins},
}

_origin(id, domain, oac, oai) := {
	"origin_id": id,
	"domain_name": domain,
	"origin_access_control_id": oac,
	"s3_origin_config": {"origin_access_identity": oai},
	"custom_origin_config": null,
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(origins) := expect.fail(_metadata, _address, "aws_cloudfront_distribution", sprintf("CloudFront distribution \"assets\" reaches S3 origin(s) %s without origin access control or identity", [origins]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_oac_or_oai if {
	r := _distribution([
		_origin("assets-s3", "assets.s3.eu-west-1.amazonaws.com", "E2OACID0000001", ""),
		_origin("legacy-s3", "legacy.s3.amazonaws.com", "", "origin-access-identity/cloudfront/E3OAI000000001"),
	])
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_custom_and_website_origins if {
	count(_findings(_distribution([
		{"origin_id": "api", "domain_name": "api.example.com", "custom_origin_config": {"origin_protocol_policy": "https-only"}},
		{"origin_id": "site", "domain_name": "site.s3-website-eu-west-1.amazonaws.com", "origin_access_control_id": "", "s3_origin_config": null},
	]))) == 0
	count(_findings(_distribution([]))) == 0
}

test_fail_s3_without_oac_or_oai if {
	_findings(_distribution([_origin("assets-s3", "assets.s3.eu-west-1.amazonaws.com", "", "")])) == {_fail("\"assets-s3\" (assets.s3.eu-west-1.amazonaws.com)")}
}

test_fail_legacy_and_null_forms if {
	_findings(_distribution([
		{"origin_id": "", "domain_name": "Old.S3-eu-west-1.amazonaws.com", "origin_access_control_id": null, "s3_origin_config": null},
		_origin("ok", "ok.s3.amazonaws.com", "E2OACID0000001", null),
		_origin("cn", "data.s3.cn-north-1.amazonaws.com.cn", null, null),
	])) == {_fail("\"origin 1\" (Old.S3-eu-west-1.amazonaws.com), \"cn\" (data.s3.cn-north-1.amazonaws.com.cn)")}
}

test_missing_origin if {
	_findings(json.patch(_distribution([]), [{"op": "remove", "path": "/attributes/origin"}])) == {expect.indeterminate(
		_metadata, _address, "aws_cloudfront_distribution",
		"CloudFront distribution \"assets\": origin is missing from the inventory", ["origin"],
	)}
	_findings(_distribution({"origin_id": "x"})) == {expect.indeterminate(
		_metadata, _address, "aws_cloudfront_distribution",
		"CloudFront distribution \"assets\": origin is not a list of origins", ["origin"],
	)}
}

test_missing_access_fields if {
	_findings(_distribution([{"origin_id": "assets-s3", "domain_name": "assets.s3.amazonaws.com"}])) == {expect.indeterminate(
		_metadata, _address, "aws_cloudfront_distribution",
		"CloudFront distribution \"assets\": origin.0.origin_access_control_id, origin.0.s3_origin_config missing from the inventory",
		["origin.0.origin_access_control_id", "origin.0.s3_origin_config"],
	)}

	# Either setting, when present, protects the origin.
	count(_findings(_distribution([{"domain_name": "assets.s3.amazonaws.com", "origin_access_control_id": "E2OACID0000001"}]))) == 0
}

test_unknown_origin_access_control if {
	r := object.union(_distribution([_origin("assets-s3", "assets.s3.amazonaws.com", null, "")]), {"unknown": ["origin.0.origin_access_control_id"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_cloudfront_distribution",
		"CloudFront distribution \"assets\": origin is known only after apply", ["origin"],
	)}
}
