package checks.aws.iam.user_inline_policy_test

import data.checks.aws.iam.user_inline_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-106",
	"title": "IAM user has an inline policy",
	"description": "Permissions written into a user, rather than granted through a group or role, are granted one person at a time, escape the reviews of shared policies and are easily left behind when the person changes jobs.",
	"severity": "low",
	"resource_types": ["aws_iam_user_policy"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Move the permissions to a managed policy attached to a group (or better, a role assumed through IAM Identity Center), add the user to the group and delete the inline policy.",
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

test_fail_inline_policy if {
	r := _resource("aws_iam_user_policy", "excess_policy", {"name": "excess_policy", "user": "alice"}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM user \"alice\" has the inline policy \"excess_policy\"")}
}

test_fail_user_missing_still_fails if {
	r := _resource("aws_iam_user_policy", "excess_policy", {"name": "excess_policy"}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM user (user missing from the inventory) has the inline policy \"excess_policy\"")}
}

test_fail_user_unknown_still_fails if {
	r := _resource("aws_iam_user_policy", "excess_policy", {}, {"unknown": ["user"]})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM user (user known only after apply) has the inline policy \"excess_policy\"")}
}

test_pass_out_of_scope_role_policy if {
	r := _resource("aws_iam_role_policy", "app", {"role": "app"}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}
