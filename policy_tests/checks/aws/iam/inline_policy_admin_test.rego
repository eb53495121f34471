package checks.aws.iam.inline_policy_admin_test

import data.checks.aws.iam.inline_policy_admin as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-101",
	"title": "IAM inline policy grants every action on every resource",
	"description": "An inline policy on a role, user or group that allows Action \"*\" (or NotAction) on every resource makes its holder a full administrator, and being inline it is not reviewed or reused like a managed policy.",
	"severity": "high",
	"resource_types": ["aws_iam_group_policy", "aws_iam_role", "aws_iam_role_policy", "aws_iam_user_policy"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Replace the inline policy with a managed policy naming the actions and resources the holder needs; keep administrator access to a few break-glass roles.",
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

test_pass_scoped_role_policy if {
	r := _resource("aws_iam_role_policy", "app", {"name": "app", "role": "app", "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::orders/*"}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_role_without_inline_policies if {
	r := _resource("aws_iam_role", "app", {"inline_policy": []}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_role_policy_admin if {
	r := _resource("aws_iam_role_policy", "app", {"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::orders/*"}, {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role inline policy \"app\" allows every action on every resource in statement(s) Admin")}
}

test_fail_user_policy_star_colon_star if {
	r := _resource("aws_iam_user_policy", "ops", {"policy": {"Statement": {"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM user inline policy \"ops\" allows every action on every resource in statement(s) #0")}
}

test_fail_group_policy_not_action if {
	r := _resource("aws_iam_group_policy", "admins", {"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "AllButIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM group inline policy \"admins\" allows every action on every resource in statement(s) AllButIam")}
}

test_fail_role_inline_block if {
	r := _resource("aws_iam_role", "ci", {"inline_policy": [{"name": "scoped", "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::orders/*"}]}}, {"name": "everything", "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role \"ci\" inline policy \"everything\" allows every action on every resource in statement(s) Admin")}
}

test_pass_deny_everything if {
	r := _resource("aws_iam_role_policy", "app", {"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Admin", "Effect": "Deny", "Action": "*", "Resource": "*"}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_missing_policy if {
	r := _resource("aws_iam_role_policy", "app", {"name": "app"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM role inline policy \"app\": policy is missing from the inventory", ["policy"])}
}

test_unknown_policy if {
	r := _resource("aws_iam_user_policy", "ops", {}, {"unknown": ["policy"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM user inline policy \"ops\": policy is known only after apply", ["policy"])}
}

test_unknown_role_inline_policy_document if {
	r := _resource("aws_iam_role", "ci", {"inline_policy": [{"name": "later", "policy": null}]}, {"unknown": ["inline_policy.0.policy"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM role \"ci\": inline_policy.0.policy is known only after apply", ["inline_policy.0.policy"])}
}

test_pass_role_inline_policy_unknown_judged_elsewhere if {
	r := _resource("aws_iam_role", "ci", {}, {"unknown": ["inline_policy"]})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}
