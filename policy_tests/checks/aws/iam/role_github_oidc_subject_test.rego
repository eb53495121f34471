package checks.aws.iam.role_github_oidc_subject_test

import data.checks.aws.iam.role_github_oidc_subject as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-107",
	"title": "IAM role trusts GitHub Actions without limiting which repositories",
	"description": "GitHub's OIDC provider signs tokens for every workflow of every repository on github.com. A role that trusts it without a token.actions.githubusercontent.com:sub condition naming your repositories can be assumed from any repository anyone creates, and gets your role's permissions.",
	"severity": "critical",
	"resource_types": ["aws_iam_role"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Add a condition {\"StringEquals\" or \"StringLike\": {\"token.actions.githubusercontent.com:sub\": \"repo:<owner>/<repo>:<ref or environment>\"}} naming each repository (and, better, the branch or environment) allowed to assume the role, together with token.actions.githubusercontent.com:aud = sts.amazonaws.com.",
}

_address := "arn:aws:iam::123456789012:role/github-deploy"

_provider := "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/iam", "status": "complete"}],
	"resources": resources,
}

_role(policy) := {
	"address": _address,
	"type": "aws_iam_role",
	"provider": "aws",
	"name": "github-deploy",
	"attributes": {"name": "github-deploy", "arn": _address, "assume_role_policy": policy},
}

_trust(condition) := {"Version": "2012-10-17", "Statement": [{
	"Sid": "GitHubActions",
	"Effect": "Allow",
	"Principal": {"Federated": _provider},
	"Action": "sts:AssumeRoleWithWebIdentity",
	"Condition": condition,
}]}

_aud := {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(reason) := expect.fail(_metadata, _address, "aws_iam_role", sprintf("IAM role \"github-deploy\" lets GitHub Actions workflows outside your repositories assume it (statement \"GitHubActions\": %s)", [reason]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_one_repository if {
	r := _role(_trust({"StringEquals": object.union(_aud, {"token.actions.githubusercontent.com:sub": "repo:acme/payments:environment:production"})}))
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_any_ref_of_named_repositories if {
	r := _role(_trust({
		"StringEquals": _aud,
		"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:acme/payments:*", "repo:acme/infra:ref:refs/heads/main"]},
	}))
	count(_findings(r)) == 0
}

test_pass_roles_not_trusting_github if {
	r := _role({"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}})
	count(_findings(r)) == 0
	count(_findings(_role(null))) == 0
}

test_fail_no_sub_condition if {
	_findings(_role(_trust({"StringEquals": _aud}))) == {_fail("no token.actions.githubusercontent.com:sub condition")}
	r := _role({"Statement": [{"Effect": "Allow", "Principal": {"Federated": [_provider]}, "Action": "sts:AssumeRoleWithWebIdentity"}]})
	_findings(r) == {expect.fail(_metadata, _address, "aws_iam_role", "IAM role \"github-deploy\" lets GitHub Actions workflows outside your repositories assume it (statement 1: no token.actions.githubusercontent.com:sub condition)")}
}

test_fail_wildcard_subjects if {
	_findings(_role(_trust({"StringLike": {"token.actions.githubusercontent.com:sub": "*"}}))) == {_fail("sub condition allows \"*\"")}
	_findings(_role(_trust({"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:acme/payments:*", "repo:*"]}}))) == {_fail("sub condition allows \"repo:*\"")}
	_findings(_role(_trust({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme*/app:*"}}))) == {_fail("sub condition allows \"repo:acme*/app:*\"")}
}

# Every repository of one owner fails unless the parameter allows it.
test_fail_owner_wide_subject_by_default if {
	r := _role(_trust({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}))
	_findings(r) == {_fail("sub condition allows \"repo:acme/*\"")}
	findings := check.findings with input as object.union(_inventory([r]), {"parameters": {"github_oidc_owner_wide_subjects_allowed": true}})
	count(findings) == 0
}

# A negated operator does not limit who may assume the role.
test_fail_negated_condition if {
	_findings(_role(_trust({"StringNotEquals": {"token.actions.githubusercontent.com:sub": "repo:evil/app:ref:refs/heads/main"}}))) == {_fail("no token.actions.githubusercontent.com:sub condition")}
}

test_missing_trust_policy if {
	r := _role({})
	_findings(object.union(r, {"attributes": {"assume_role_policy": "not-json"}})) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"github-deploy\": assume_role_policy is not a policy document", ["assume_role_policy"],
	)}
	_findings(json.patch(r, [{"op": "remove", "path": "/attributes/assume_role_policy"}])) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"github-deploy\": assume_role_policy is missing from the inventory", ["assume_role_policy"],
	)}
}

test_unknown_trust_policy if {
	r := object.union(_role(null), {"unknown": ["assume_role_policy"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"github-deploy\": assume_role_policy is known only after apply", ["assume_role_policy"],
	)}
}
