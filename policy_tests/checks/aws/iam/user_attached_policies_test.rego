package checks.aws.iam.user_attached_policies_test

import data.checks.aws.iam.user_attached_policies as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-109",
	"title": "IAM user with managed policies attached directly",
	"description": "Permissions attached to individual users drift apart user by user and are missed when people change roles or leave; granting them through groups (or roles) keeps access reviewable in one place (CIS AWS Foundations 1.15).",
	"severity": "low",
	"resource_types": ["aws_iam_user"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.2", "CC6.3"],
		"iso27001": ["A.5.15", "A.5.18"],
	},
	"remediation": "Create a group for the job function, attach the policies to it, add the user to the group and detach the policies from the user (aws_iam_group_policy_attachment and aws_iam_user_group_membership instead of aws_iam_user_policy_attachment).",
}

_address := "arn:aws:iam::123456789012:user/dana"

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
	"name": "dana",
	"attributes": object.union({"name": "dana", "arn": _address}, attributes),
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_no_direct_policies if {
	r := _user({"attached_policy_arns": []})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_one_policy if {
	_findings(_user({"attached_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]})) == {expect.fail(
		_metadata, _address, "aws_iam_user",
		"IAM user \"dana\" has 1 managed policy attached directly: ReadOnlyAccess",
	)}
}

test_fail_several_policies if {
	_findings(_user({"attached_policy_arns": [
		"arn:aws:iam::aws:policy/job-function/DatabaseAdministrator",
		"arn:aws:iam::123456789012:policy/reporting/ReportsRead",
	]})) == {expect.fail(
		_metadata, _address, "aws_iam_user",
		"IAM user \"dana\" has 2 managed policies attached directly: DatabaseAdministrator, ReportsRead",
	)}
}

test_missing_attached_policies if {
	_findings(_user({})) == {expect.indeterminate(
		_metadata, _address, "aws_iam_user",
		"IAM user \"dana\": attached_policy_arns is missing from the inventory", ["attached_policy_arns"],
	)}
	_findings(_user({"attached_policy_arns": null})) == {expect.indeterminate(
		_metadata, _address, "aws_iam_user",
		"IAM user \"dana\": attached_policy_arns is not a list of policy ARNs", ["attached_policy_arns"],
	)}
}

test_unknown_attached_policies if {
	r := object.union(_user({"attached_policy_arns": [null]}), {"unknown": ["attached_policy_arns.0"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_iam_user",
		"IAM user \"dana\": attached_policy_arns is known only after apply", ["attached_policy_arns"],
	)}
}
