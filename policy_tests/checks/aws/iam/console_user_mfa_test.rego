package checks.aws.iam.console_user_mfa_test

import data.checks.aws.iam.console_user_mfa as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-003",
	"title": "IAM user with console access but no MFA",
	"description": "A user who can sign in to the console with a password alone is one phished or reused password away from an attacker acting with all the user's permissions.",
	"severity": "high",
	"resource_types": ["aws_iam_user"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(d)"],
		"pci_dss": ["8.4.1", "8.4.2"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.5", "A.5.17"],
	},
	"remediation": "Register an MFA device for the user and deny actions without aws:MultiFactorAuthPresent, or move console users to IAM Identity Center with MFA enforced; remove the login profile of users who need no console.",
}

_address := "arn:aws:iam::123456789012:user/ci-deploy"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/iam", "status": "complete"}],
	"resources": resources,
}

_user(attributes) := {
	"address": _address,
	"type": "aws_iam_user",
	"provider": "aws",
	"name": "ci-deploy",
	"attributes": attributes,
}

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_iam_user", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_user(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_no_mfa_message := "IAM user \"ci-deploy\" can sign in to the console with a password but has no MFA device"

test_pass_console_user_with_mfa if {
	r := _user({"name": "ci-deploy", "password_enabled": true, "mfa_enabled": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_user_without_console_password if {
	count(_findings({"password_enabled": false, "mfa_enabled": false})) == 0
}

# Without a console password, MFA is not needed to decide.
test_pass_no_password_with_mfa_missing if {
	count(_findings({"password_enabled": false})) == 0
}

test_fail_console_user_without_mfa if {
	findings := _findings({"name": "ci-deploy", "password_enabled": true, "mfa_enabled": false})
	findings == {expect.fail(_metadata, "arn:aws:iam::123456789012:user/ci-deploy", "aws_iam_user", _no_mfa_message)}
}

test_missing_password_enabled if {
	_findings({"name": "ci-deploy", "mfa_enabled": false}) == {_indeterminate(
		"IAM user \"ci-deploy\": password_enabled is missing from the inventory",
		["password_enabled"],
	)}
}

test_missing_mfa_enabled_for_console_user if {
	_findings({"name": "ci-deploy", "password_enabled": true}) == {_indeterminate(
		"IAM user \"ci-deploy\": mfa_enabled is missing from the inventory",
		["mfa_enabled"],
	)}
}

test_unknown_password_enabled if {
	r := object.union(_user({"password_enabled": true, "mfa_enabled": false}), {"unknown": ["password_enabled"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"IAM user \"ci-deploy\": password_enabled is known only after apply",
		["password_enabled"],
	)}
}

test_unknown_mfa_enabled if {
	r := object.union(_user({"password_enabled": true, "mfa_enabled": false}), {"unknown": ["mfa_enabled"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"IAM user \"ci-deploy\": mfa_enabled is known only after apply",
		["mfa_enabled"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"password_enabled": true, "mfa_enabled": false},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
