package checks.aws.s3.account_public_access_block_test

import data.checks.aws.s3.account_public_access_block as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-101",
	"title": "S3 account-level public access block not fully on",
	"description": "The account-level public access block is the one setting that stops any bucket in the account from being made public by an ACL or a policy, whatever its own settings; with a flag off, one mistaken bucket policy publishes data.",
	"severity": "high",
	"resource_types": ["aws_s3_account_public_access_block"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["1.4.4", "7.2.1"],
		"soc2": ["CC6.1", "CC6.6"],
		"iso27001": ["A.8.3", "A.8.20"],
	},
	"remediation": "Set block_public_acls, ignore_public_acls, block_public_policy and restrict_public_buckets to true on aws_s3_account_public_access_block; serve the few public sites through CloudFront with origin access control instead.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
		"attributes": attributes,
	},
	extra,
)

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_all_flags_on if {
	r := _resource("aws_s3_account_public_access_block", "account", {"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_policy_flags_off if {
	r := _resource("aws_s3_account_public_access_block", "account", {"block_public_acls": true, "block_public_policy": false, "ignore_public_acls": true, "restrict_public_buckets": false}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "S3 account-level public access block in account 123456789012 is not fully on: block_public_policy, restrict_public_buckets off")}
}

test_fail_all_off_account_unknown if {
	r := _resource("aws_s3_account_public_access_block", "account", {"block_public_acls": false, "block_public_policy": false, "ignore_public_acls": false, "restrict_public_buckets": false}, {"account": null})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "S3 account-level public access block in account unknown is not fully on: block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets off")}
}

test_missing_flags if {
	r := _resource("aws_s3_account_public_access_block", "account", {"block_public_acls": true, "block_public_policy": true}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "S3 account-level public access block in account 123456789012: ignore_public_acls, restrict_public_buckets not known (missing from the inventory or known only after apply)", ["ignore_public_acls", "restrict_public_buckets"])}
}

test_unknown_flag_and_fail_known_off if {
	r := _resource("aws_s3_account_public_access_block", "account", {"block_public_acls": false, "ignore_public_acls": true, "restrict_public_buckets": true}, {"unknown": ["block_public_policy"]})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "S3 account-level public access block in account 123456789012 is not fully on: block_public_acls off"), expect.indeterminate(_metadata, r.address, r.type, "S3 account-level public access block in account 123456789012: block_public_policy not known (missing from the inventory or known only after apply)", ["block_public_policy"])}
}
