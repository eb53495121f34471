package checks.aws.iam.privilege_escalation_test

import data.checks.aws.iam.privilege_escalation as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-103",
	"title": "IAM policy allows privilege escalation",
	"description": "Actions such as iam:PassRole, iam:CreatePolicyVersion, iam:AttachRolePolicy or iam:PutUserPolicy on every resource let a holder give itself, or a role it controls, more permissions than it was granted, up to administrator.",
	"severity": "high",
	"resource_types": ["aws_iam_group_policy", "aws_iam_policy", "aws_iam_role", "aws_iam_role_policy", "aws_iam_user_policy"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Remove the listed actions, or scope them to named resources (iam:PassRole to the role ARNs a service needs, with an iam:PassedToService condition); use permission boundaries for principals that must manage IAM.",
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

test_pass_scoped_pass_role if {
	r := _resource("aws_iam_role_policy", "deployer", {"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-task"}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_iam_wildcard if {
	r := _resource("aws_iam_role_policy", "fail_1", {"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role inline policy \"fail_1\" allows privilege escalation on every resource: iam:AddUserToGroup, iam:AttachGroupPolicy, iam:AttachRolePolicy, iam:AttachUserPolicy, iam:CreateAccessKey and 9 more")}
}

test_fail_pass_role_and_put_prefix if {
	r := _resource("aws_iam_policy", "ci", {"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:passrole", "iam:Put*Policy", "s3:GetObject"], "Resource": "*"}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM policy \"ci\" allows privilege escalation on every resource: iam:PassRole, iam:PutGroupPolicy, iam:PutRolePolicy, iam:PutUserPolicy")}
}

test_pass_not_action_excluding_escalation if {
	r := _resource("aws_iam_user_policy", "ops", {"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "lambda:*"], "Resource": "*"}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_parameter_list if {
	r := _resource("aws_iam_group_policy", "devs", {"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:UpdateDevEndpoint", "Resource": "*"}]}}, {})
	findings := _findings(r, {"iam_privilege_escalation_actions": ["glue:UpdateDevEndpoint"]})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM group inline policy \"devs\" allows privilege escalation on every resource: glue:UpdateDevEndpoint")}
}

test_fail_role_inline_block if {
	r := _resource("aws_iam_role", "ci", {"inline_policy": [{"name": "keys", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}]}}]}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role \"ci\" inline policy \"keys\" allows privilege escalation on every resource: iam:CreateAccessKey")}
}

test_missing_policy if {
	r := _resource("aws_iam_policy", "ci", {"name": "ci"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM policy \"ci\": policy is missing from the inventory", ["policy"])}
}

test_unknown_policy if {
	r := _resource("aws_iam_role_policy", "ci", {}, {"unknown": ["policy"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM role inline policy \"ci\": policy is known only after apply", ["policy"])}
}
