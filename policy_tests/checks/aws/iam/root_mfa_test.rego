package checks.aws.iam.root_mfa_test

import data.checks.aws.iam.root_mfa as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-001",
	"title": "Root user without MFA",
	"description": "The root user has unrestricted access to the account, including billing, closing it and every resource's data; protected by a password alone, a phished or reused password gives an attacker all of it.",
	"severity": "critical",
	"resource_types": ["aws_iam_account"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(d)"],
		"pci_dss": ["8.4.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.5", "A.8.2"],
	},
	"remediation": "Sign in as root and register an MFA device (preferably a hardware key); keep the device in a safe with documented break-glass access.",
}

_address := "arn:aws:iam::123456789012:root"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/iam", "status": "complete"}],
	"resources": resources,
}

_account(attributes) := {
	"address": _address,
	"type": "aws_iam_account",
	"provider": "aws",
	"name": "123456789012",
	"attributes": attributes,
}

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_iam_account", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_account(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_root_mfa_enabled if {
	r := _account({"account_id": "123456789012", "root_mfa_enabled": true, "root_access_keys_present": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_root_without_mfa if {
	findings := _findings({"account_id": "123456789012", "root_mfa_enabled": false})
	findings == {expect.fail(
		_metadata, "arn:aws:iam::123456789012:root", "aws_iam_account",
		"AWS account \"123456789012\" root user has no MFA (root_mfa_enabled = false)",
	)}
}

test_missing_root_mfa_enabled if {
	_findings({"account_id": "123456789012", "root_access_keys_present": false}) == {_indeterminate(
		"AWS account \"123456789012\": root_mfa_enabled is missing from the inventory",
		["root_mfa_enabled"],
	)}
}

test_unknown_root_mfa_enabled if {
	r := object.union(_account({"root_mfa_enabled": false}), {"unknown": ["root_mfa_enabled"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"AWS account \"123456789012\": root_mfa_enabled is known only after apply",
		["root_mfa_enabled"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"root_mfa_enabled": false},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
