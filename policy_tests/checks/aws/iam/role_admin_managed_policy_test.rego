package checks.aws.iam.role_admin_managed_policy_test

import data.checks.aws.iam.role_admin_managed_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-110",
	"title": "IAM role with an administrator-equivalent AWS managed policy attached",
	"description": "AdministratorAccess grants every action on every resource, and IAMFullAccess lets the role grant itself that; whoever or whatever can assume such a role (a workload, a pipeline, another account) holds the whole account.",
	"severity": "high",
	"resource_types": ["aws_iam_role"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Detach the policy and attach a policy limited to the actions and resources the role's users need (IAM Access Analyzer can generate one from CloudTrail activity); keep break-glass administrator roles few, behind MFA and monitored.",
}

_address := "arn:aws:iam::123456789012:role/ci-deployer"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/iam", "status": "complete"}],
	"resources": resources,
}

_role(attributes) := {
	"address": _address,
	"type": "aws_iam_role",
	"provider": "aws",
	"name": "ci-deployer",
	"attributes": object.union({"name": "ci-deployer", "arn": _address}, attributes),
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_scoped_policies if {
	r := _role({"managed_policy_arns": [
		"arn:aws:iam::aws:policy/ReadOnlyAccess",
		"arn:aws:iam::123456789012:policy/AdministratorAccess",
	]})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
	count(_findings(_role({"managed_policy_arns": []}))) == 0
}

test_fail_administrator_access if {
	_findings(_role({"managed_policy_arns": ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"]})) == {expect.fail(
		_metadata, _address, "aws_iam_role",
		"IAM role \"ci-deployer\" has administrator-equivalent AWS managed policy attached: AdministratorAccess",
	)}
}

test_fail_two_and_other_partition if {
	_findings(_role({"managed_policy_arns": ["arn:aws-us-gov:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]})) == {expect.fail(
		_metadata, _address, "aws_iam_role",
		"IAM role \"ci-deployer\" has administrator-equivalent AWS managed policies attached: AdministratorAccess, IAMFullAccess",
	)}
}

test_fail_parameter_with_path if {
	r := _role({"managed_policy_arns": ["arn:aws:iam::aws:policy/job-function/SystemAdministrator"]})
	count(_findings(r)) == 0
	findings := check.findings with input as object.union(_inventory([r]), {"parameters": {"iam_admin_equivalent_managed_policies": ["SystemAdministrator"]}})
	findings == {expect.fail(
		_metadata, _address, "aws_iam_role",
		"IAM role \"ci-deployer\" has administrator-equivalent AWS managed policy attached: SystemAdministrator",
	)}
}

test_missing_managed_policies if {
	_findings(_role({})) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"ci-deployer\": managed_policy_arns is missing from the inventory", ["managed_policy_arns"],
	)}
	_findings(_role({"managed_policy_arns": "arn:aws:iam::aws:policy/AdministratorAccess"})) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"ci-deployer\": managed_policy_arns is not a list of policy ARNs", ["managed_policy_arns"],
	)}
}

test_unknown_managed_policies if {
	r := object.union(_role({"managed_policy_arns": null}), {"unknown": ["managed_policy_arns"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"ci-deployer\": managed_policy_arns is known only after apply", ["managed_policy_arns"],
	)}
}
