package checks.aws.s3.acls_enabled_test

import data.checks.aws.s3.acls_enabled as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-010",
	"title": "S3 bucket with ACLs enabled",
	"description": "While a bucket's object ownership is not BucketOwnerEnforced, bucket and object ACLs still grant access, and objects uploaded by other accounts may stay theirs: access is then decided in two places, one of them per object and invisible in the bucket policy. Buckets created since April 2023 have ACLs disabled unless someone turns them back on.",
	"severity": "low",
	"resource_types": ["aws_s3_bucket"],
	"controls": {"gdpr": ["Art.25(2)"], "hipaa": ["164.312(a)(1)"], "iso27001": ["A.5.15", "A.8.3"], "pci_dss": ["7.2.1"], "soc2": ["CC6.1"]},
	"remediation": "Add aws_s3_bucket_ownership_controls with rule object_ownership = \"BucketOwnerEnforced\" after moving any access still granted by ACLs into the bucket policy (S3 refuses the change while the bucket ACL grants access to anyone but the owner).",
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

_bucket(attributes, unknown) := _resource("aws_s3_bucket", "uploads", {}, attributes, unknown)

test_pass_bucket_owner_enforced if {
	r := _bucket({"object_ownership": "BucketOwnerEnforced"}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_object_writer if {
	r := _bucket({"object_ownership": "ObjectWriter"}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.uploads", "aws_s3_bucket",
		"S3 bucket \"uploads\" has ACLs enabled (object_ownership = \"ObjectWriter\")",
	)} with input as _inventory([r])
}

test_fail_bucket_owner_preferred if {
	r := _bucket({"object_ownership": "BucketOwnerPreferred"}, [])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_fail_no_ownership_controls if {
	r := _bucket({"object_ownership": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.uploads", "aws_s3_bucket",
		"S3 bucket \"uploads\" has ACLs enabled (no ownership controls: object_ownership = null)",
	)} with input as _inventory([r])
}

test_missing_object_ownership if {
	r := _bucket({"bucket": "uploads"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.uploads", "aws_s3_bucket",
		"S3 bucket \"uploads\": object_ownership is missing from the inventory", ["object_ownership"],
	)} with input as _inventory([r])
}

test_unknown_object_ownership if {
	r := _bucket({}, ["object_ownership"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.uploads", "aws_s3_bucket",
		"S3 bucket \"uploads\": object_ownership is known only after apply", ["object_ownership"],
	)} with input as _inventory([r])
}

test_missing_shape_unrecognised_setting if {
	r := _bucket({"object_ownership": "bucketownerenforced"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.uploads", "aws_s3_bucket",
		"S3 bucket \"uploads\": object_ownership is not a known setting (\"bucketownerenforced\")", ["object_ownership"],
	)} with input as _inventory([r])
}

test_missing_shape_number if {
	r := _bucket({"object_ownership": 1}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.uploads", "aws_s3_bucket",
		"S3 bucket \"uploads\": object_ownership is not a known setting (1)", ["object_ownership"],
	)} with input as _inventory([r])
}
