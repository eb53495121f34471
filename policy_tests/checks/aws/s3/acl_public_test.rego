package checks.aws.s3.acl_public_test

import data.checks.aws.s3.acl_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-008",
	"title": "S3 bucket ACL grants access to everyone or to any AWS account",
	"description": "A bucket ACL that grants a permission to the AllUsers group (anyone on the internet) or the AuthenticatedUsers group (anyone with any AWS account), directly or through the canned ACLs public-read, public-read-write and authenticated-read, opens the bucket's listing, its objects' upload or its ACL to strangers.",
	"severity": "critical",
	"resource_types": ["aws_s3_bucket"],
	"controls": {"gdpr": ["Art.25(2)", "Art.32(1)(b)"], "hipaa": ["164.312(a)(1)"], "iso27001": ["A.8.3", "A.5.15"], "pci_dss": ["1.4.4", "7.2.1"], "soc2": ["CC6.1", "CC6.6"]},
	"remediation": "Set the bucket ACL to private (aws_s3_bucket_acl acl = \"private\") or, better, disable ACLs with aws_s3_bucket_ownership_controls object_ownership = \"BucketOwnerEnforced\", grant access through the bucket policy, and keep the public access block on.",
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

_all_users := "http://acs.amazonaws.com/groups/global/AllUsers"

_owner_grant := {"type": "CanonicalUser", "uri": null, "id": "79a59df900b949e55d96a1e698fbaced", "permission": "FULL_CONTROL"}

# A known canned ACL decides; grants left unknown beside it are not needed.
test_pass_private_canned_acl if {
	r := _bucket({"acl": "private"}, ["grants"])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

# What the AWS collector records: grants only.
test_pass_owner_only_grants if {
	r := _bucket({"grants": [_owner_grant]}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_public_read_canned_acl if {
	r := _bucket({"acl": "public-read", "grants": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\" ACL opens it beyond the account: canned ACL \"public-read\"",
	)} with input as _inventory([r])
}

test_fail_public_group_grants if {
	r := _bucket(
		{"acl": null, "grants": [
			_owner_grant,
			{"type": "Group", "uri": _all_users, "permission": "READ"},
			{"type": "Group", "uri": "https://acs.amazonaws.com/groups/global/AuthenticatedUsers", "permission": "WRITE"},
			{"type": "Group", "uri": "http://acs.amazonaws.com/groups/s3/LogDelivery", "permission": "WRITE"},
		]},
		[],
	)
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\" ACL opens it beyond the account: READ to AllUsers, WRITE to AuthenticatedUsers",
	)} with input as _inventory([r])
}

test_fail_canned_and_grant_together if {
	r := _bucket({"acl": "authenticated-read", "grants": [{"type": "Group", "uri": _all_users}]}, [])
	check.findings == {expect.fail(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\" ACL opens it beyond the account: canned ACL \"authenticated-read\", a permission to AllUsers",
	)} with input as _inventory([r])
}

test_fail_public_grant_beside_unknown_acl if {
	r := _bucket({"grants": [{"type": "Group", "uri": _all_users, "permission": "READ_ACP"}]}, ["acl"])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_missing_acl_and_grants if {
	r := _bucket({"bucket": "site"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\": grants is missing from the inventory", ["grants"],
	)} with input as _inventory([r])
}

test_unknown_acl if {
	r := _bucket({"grants": [_owner_grant]}, ["acl"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\": acl is known only after apply", ["acl"],
	)} with input as _inventory([r])
}

test_unknown_grants_without_canned_acl if {
	r := _bucket({"acl": null}, ["grants"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\": grants is known only after apply", ["grants"],
	)} with input as _inventory([r])
}

test_missing_shape_grants_not_a_list if {
	r := _bucket({"acl": "", "grants": {"type": "Group"}}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_s3_bucket.site", "aws_s3_bucket",
		"S3 bucket \"site\": grants is not a list of grants", ["grants"],
	)} with input as _inventory([r])
}
