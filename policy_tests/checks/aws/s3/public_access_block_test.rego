package checks.aws.s3.public_access_block_test

import data.checks.aws.s3.public_access_block as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-001",
	"title": "S3 bucket without a complete public access block",
	"description": "Without all four public access block settings, an ACL or bucket policy change can expose the bucket's objects to anyone on the internet.",
	"severity": "high",
	"resource_types": ["aws_s3_bucket"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["1.4.4", "7.2.1"],
		"soc2": ["CC6.1", "CC6.6"],
		"iso27001": ["A.8.3", "A.8.12"],
	},
	"remediation": "Add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true.",
}

_address := "arn:aws:s3:::acme-invoices"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/s3", "status": "complete"}],
	"resources": resources,
}

_bucket(attributes) := {
	"address": _address,
	"type": "aws_s3_bucket",
	"provider": "aws",
	"name": "acme-invoices",
	"attributes": attributes,
}

_all_on := {
	"block_public_acls": true,
	"block_public_policy": true,
	"ignore_public_acls": true,
	"restrict_public_buckets": true,
}

_fail(message) := expect.fail(_metadata, _address, "aws_s3_bucket", message)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_complete_public_access_block if {
	r := _bucket({"bucket": "acme-invoices", "public_access_block": _all_on})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_public_access_block_null if {
	r := _bucket({"bucket": "acme-invoices", "public_access_block": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:s3:::acme-invoices", "aws_s3_bucket",
		"S3 bucket \"acme-invoices\" has no public access block",
	)}
}

test_fail_one_setting_false_names_it if {
	block := object.union(_all_on, {"block_public_policy": false})
	r := _bucket({"bucket": "acme-invoices", "public_access_block": block})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:s3:::acme-invoices", "aws_s3_bucket",
		"S3 bucket \"acme-invoices\" public access block leaves off: block_public_policy",
	)}
}

# Settings are named in the check's fixed order, not the input's.
test_fail_two_settings_false_named_in_order if {
	block := {
		"restrict_public_buckets": false,
		"ignore_public_acls": true,
		"block_public_policy": false,
		"block_public_acls": true,
	}
	r := _bucket({"bucket": "acme-invoices", "public_access_block": block})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("S3 bucket \"acme-invoices\" public access block leaves off: block_public_policy, restrict_public_buckets")}
}

test_fail_each_setting_false_is_named if {
	every setting in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] {
		block := object.union(_all_on, {setting: false})
		r := _bucket({"public_access_block": block})
		findings := check.findings with input as _inventory([r])
		findings == {_fail(sprintf("S3 bucket \"acme-invoices\" public access block leaves off: %s", [setting]))}
	}
}

# A block object without a setting leaves that setting at its default, false.
test_fail_setting_absent_from_block_counts_as_off if {
	block := object.remove(_all_on, ["ignore_public_acls"])
	r := _bucket({"public_access_block": block})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("S3 bucket \"acme-invoices\" public access block leaves off: ignore_public_acls")}
}

test_fail_empty_block_names_all_settings if {
	r := _bucket({"public_access_block": {}})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("S3 bucket \"acme-invoices\" public access block leaves off: block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets")}
}

test_missing_public_access_block if {
	r := _bucket({"bucket": "acme-invoices"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:s3:::acme-invoices", "aws_s3_bucket",
		"S3 bucket \"acme-invoices\": public_access_block is missing from the inventory", ["public_access_block"],
	)}
}

test_unknown_public_access_block if {
	r := object.union(_bucket({"bucket": "acme-invoices"}), {"unknown": ["public_access_block"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:s3:::acme-invoices", "aws_s3_bucket",
		"S3 bucket \"acme-invoices\": public_access_block is known only after apply", ["public_access_block"],
	)}
}

# A plan can know the block exists but not one of its settings: the absent
# setting must not be read as false.
test_unknown_public_access_block_sub_setting if {
	block := object.remove(_all_on, ["block_public_acls"])
	r := object.union(
		_bucket({"bucket": "acme-invoices", "public_access_block": block}),
		{"unknown": ["public_access_block.block_public_acls"]},
	)
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:s3:::acme-invoices", "aws_s3_bucket",
		"S3 bucket \"acme-invoices\": public_access_block is known only after apply", ["public_access_block"],
	)}
}

test_unknown_last_sub_setting_is_indeterminate if {
	block := object.remove(_all_on, ["restrict_public_buckets"])
	r := object.union(_bucket({"public_access_block": block}), {"unknown": ["public_access_block.restrict_public_buckets"]})
	findings := check.findings with input as _inventory([r])
	[f.status | some f in findings] == ["indeterminate"]
}

test_pass_unknown_lists_other_attributes if {
	r := object.union(_bucket({"public_access_block": _all_on}), {"unknown": ["versioning", "server_side_encryption.kms_master_key_id"]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	r in check.resources with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	instance := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"storage_encrypted": true},
	}
	findings := check.findings with input as _inventory([instance])
	count(findings) == 0
	resources := check.resources with input as _inventory([instance])
	count(resources) == 0
}

# A setting the plan already knows to be off fails the bucket, even though
# another setting is known only after apply.
test_fail_known_off_setting_despite_unknown_sibling if {
	block := object.union(object.remove(_all_on, ["block_public_acls"]), {"block_public_policy": false})
	r := object.union(
		_bucket({"bucket": "acme-invoices", "public_access_block": block}),
		{"unknown": ["public_access_block.block_public_acls"]},
	)
	findings := check.findings with input as _inventory([r])
	findings == {_fail("S3 bucket \"acme-invoices\" public access block leaves off: block_public_policy")}
}
