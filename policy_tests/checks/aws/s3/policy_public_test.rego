package checks.aws.s3.policy_public_test

import data.checks.aws.s3.policy_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-011",
	"title": "S3 bucket policy allows any principal without a narrowing condition",
	"description": "A bucket policy statement that allows Principal \"*\" without a condition naming an account, organization, VPC endpoint, network or source lets anyone, or anyone with any AWS account, perform its actions on the bucket, unless the public access block happens to stop it.",
	"severity": "critical",
	"resource_types": ["aws_s3_bucket"],
	"controls": {"gdpr": ["Art.25(2)", "Art.32(1)(b)"], "hipaa": ["164.312(a)(1)"], "iso27001": ["A.8.3", "A.5.15"], "pci_dss": ["1.4.4", "7.2.1"], "soc2": ["CC6.1", "CC6.6"]},
	"remediation": "Name the accounts, roles or services that need the bucket as principals instead of \"*\", or add a condition on aws:PrincipalOrgID, aws:SourceVpce, aws:SourceArn or aws:SourceAccount to every Allow statement; serve public content through CloudFront with origin access control instead, and keep block_public_policy on.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/s3", "status": "complete"}],
	"resources": resources,
}

_with_parameters(resources, parameters) := object.union(_inventory(resources), {"parameters": parameters})

_resource(type, name, tags, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": tags,
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_bucket(attributes, unknown) := _resource("aws_s3_bucket", "site", {}, attributes, unknown)

test_pass_no_policy if {
	r := _bucket({"policy": null}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_vpc_endpoint_condition_and_tls_deny if {
	r := _bucket(
		{"policy": {"Version": "2012-10-17", "Statement": [
			{"Sid": "ThroughEndpoint", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d"}}},
			{"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::site", "arn:aws:s3:::site/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
		]}},
		[],
	)
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_public_read if {
	r := _bucket({"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\" policy allows any principal without a narrowing condition: PublicRead",
	)} with input as _inventory([r])
}

# A condition that narrows nothing (a wildcard value) does not help.
test_fail_wildcard_condition if {
	r := _bucket({"policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalOrgID": "*"}}}]}}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\" policy allows any principal without a narrowing condition: statement 1",
	)} with input as _inventory([r])
}

test_missing_policy if {
	r := _bucket({"bucket": "site"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\": policy is missing from the inventory", ["policy"],
	)} with input as _inventory([r])
}

test_unknown_policy if {
	r := _bucket({}, ["policy"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\": policy is known only after apply", ["policy"],
	)} with input as _inventory([r])
}

test_missing_shape_unreadable_policy if {
	r := _bucket({"policy": "{not json"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\": policy is not a JSON policy document", ["policy"],
	)} with input as _inventory([r])
}
