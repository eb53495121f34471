package checks.aws.iam.root_access_keys_test

import data.checks.aws.iam.root_access_keys as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-002",
	"title": "Root user has access keys",
	"description": "A root access key is a long-lived credential with unrestricted access to the account that no IAM policy can limit; leaked from a script or a laptop, it hands over the whole account.",
	"severity": "critical",
	"resource_types": ["aws_iam_account"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.8.2", "A.5.17"],
	},
	"remediation": "Delete the root user's access keys (Security credentials page, signed in as root) and give automation an IAM role with least-privilege permissions.",
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

test_pass_no_root_access_keys if {
	r := _account({"account_id": "123456789012", "root_mfa_enabled": false, "root_access_keys_present": false})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_root_access_keys_present if {
	findings := _findings({"account_id": "123456789012", "root_access_keys_present": true})
	findings == {expect.fail(
		_metadata, "arn:aws:iam::123456789012:root", "aws_iam_account",
		"AWS account \"123456789012\" root user has access keys (root_access_keys_present = true)",
	)}
}

test_missing_root_access_keys_present if {
	_findings({"account_id": "123456789012", "root_mfa_enabled": true}) == {_indeterminate(
		"AWS account \"123456789012\": root_access_keys_present is missing from the inventory",
		["root_access_keys_present"],
	)}
}

test_unknown_root_access_keys_present if {
	r := object.union(_account({"root_access_keys_present": true}), {"unknown": ["root_access_keys_present"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"AWS account \"123456789012\": root_access_keys_present is known only after apply",
		["root_access_keys_present"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"root_access_keys_present": true},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
