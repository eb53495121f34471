package checks.aws.ebs.encryption_by_default_test

import data.checks.aws.ebs.encryption_by_default as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EBS-002",
	"title": "EBS encryption by default turned off",
	"description": "With EBS encryption by default off in an account and region, every new volume and snapshot copy whose creator forgets to ask for encryption is stored unencrypted.",
	"severity": "medium",
	"resource_types": ["aws_ebs_encryption_by_default"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24", "A.8.9"],
	},
	"remediation": "Set enabled = true on aws_ebs_encryption_by_default in every account and region in use, and pick a customer-managed default key with aws_ebs_default_kms_key.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_setting(attributes) := {
	"address": _address,
	"type": "aws_ebs_encryption_by_default",
	"provider": "aws",
	"account": "123456789012",
	"region": "eu-west-1",
	"name": "eu-west-1",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_enabled if {
	r := _setting({"enabled": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_disabled if {
	r := _setting({"enabled": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default", "aws_ebs_encryption_by_default",
		"EBS encryption by default is off in account 123456789012, region eu-west-1 (enabled = false)",
	)}
}

test_fail_disabled_without_account_and_region if {
	r := object.remove(_setting({"enabled": false}), ["account", "region"])
	[f.message | some f in check.findings] == ["EBS encryption by default is off in account unknown, region unknown (enabled = false)"] with input as _inventory([r])
}

test_missing_enabled if {
	r := _setting({})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default", "aws_ebs_encryption_by_default",
		"EBS encryption by default in account 123456789012, region eu-west-1: enabled is missing from the inventory",
		["enabled"],
	)}
}

test_unknown_enabled if {
	r := object.union(_setting({"enabled": true}), {"unknown": ["enabled"], "region": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default", "aws_ebs_encryption_by_default",
		"EBS encryption by default in account 123456789012, region unknown: enabled is known only after apply",
		["enabled"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	volume := {
		"address": "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a1b2c3d4e5f60001",
		"type": "aws_ebs_volume",
		"provider": "aws",
		"name": "etl-scratch",
		"attributes": {"enabled": false},
	}
	count(check.findings) == 0 with input as _inventory([volume])
	count(check.resources) == 0 with input as _inventory([volume])
}
