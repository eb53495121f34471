package checks.aws.iam.role_trust_any_principal_test

import data.checks.aws.iam.role_trust_any_principal as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-104",
	"title": "IAM role can be assumed by anyone",
	"description": "A trust policy that allows Principal \"*\" (or AWS \"*\") without a condition lets any AWS account in the world assume the role and use all of its permissions.",
	"severity": "critical",
	"resource_types": ["aws_iam_role"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Name the accounts, roles or services that may assume the role in Principal, or keep \"*\" only with a condition such as aws:PrincipalOrgID naming your organization.",
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

test_pass_service_principal if {
	r := _resource("aws_iam_role", "app", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_wildcard_with_org_condition if {
	r := _resource("aws_iam_role", "shared", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_star_principal if {
	r := _resource("aws_iam_role", "open", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}, {"Sid": "Anyone", "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*"}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role \"open\" can be assumed by any AWS principal, with no condition, in statement(s) Anyone")}
}

test_fail_aws_star_in_list if {
	r := _resource("aws_iam_role", "open", {"assume_role_policy": {"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "*"]}}}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role \"open\" can be assumed by any AWS principal, with no condition, in statement(s) #0")}
}

test_pass_deny_star if {
	r := _resource("aws_iam_role", "app", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}, {"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": "*"}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_missing_trust_policy if {
	r := _resource("aws_iam_role", "app", {"name": "app"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM role \"app\": assume_role_policy is missing from the inventory", ["assume_role_policy"])}
}

test_unknown_trust_policy if {
	r := _resource("aws_iam_role", "app", {}, {"unknown": ["assume_role_policy"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM role \"app\": assume_role_policy is known only after apply", ["assume_role_policy"])}
}
