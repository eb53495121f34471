package checks.aws.iam.role_web_identity_audience_test

import data.checks.aws.iam.role_web_identity_audience as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-108",
	"title": "IAM role trusts a web identity provider without an audience condition",
	"description": "An identity provider signs tokens for every application registered with it. A role assumable with sts:AssumeRoleWithWebIdentity that does not check the token's audience (the provider's :aud key, or :app_id for Facebook and Login with Amazon) accepts tokens minted for someone else's application.",
	"severity": "high",
	"resource_types": ["aws_iam_role"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Add a StringEquals condition on the provider's audience key, such as {\"token.actions.githubusercontent.com:aud\": \"sts.amazonaws.com\"} or {\"oidc.eks.<region>.amazonaws.com/id/<id>:aud\": \"sts.amazonaws.com\"}, to every statement that allows sts:AssumeRoleWithWebIdentity.",
}

_address := "arn:aws:iam::123456789012:role/orders-irsa"

_eks := "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789"

_eks_key := "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789"

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
	"name": "orders-irsa",
	"attributes": {"name": "orders-irsa", "arn": _address, "assume_role_policy": policy},
}

_statement(federated, action, condition) := {
	"Effect": "Allow",
	"Principal": {"Federated": federated},
	"Action": action,
	"Condition": condition,
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(detail) := expect.fail(_metadata, _address, "aws_iam_role", sprintf("IAM role \"orders-irsa\" accepts web identity tokens without checking their audience (%s)", [detail]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_audience_checked if {
	r := _role({"Statement": [_statement(_eks, "sts:AssumeRoleWithWebIdentity", {"StringEquals": {
		sprintf("%s:aud", [_eks_key]): "sts.amazonaws.com",
		sprintf("%s:sub", [_eks_key]): "system:serviceaccount:orders:api",
	}})]})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_cognito_and_app_id if {
	count(_findings(_role({"Statement": [
		_statement("cognito-identity.amazonaws.com", ["sts:AssumeRoleWithWebIdentity"], {"StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:11111111-2222-3333-4444-555555555555"}}),
		_statement("graph.facebook.com", "sts:AssumeRoleWithWebIdentity", {"StringEquals": {"graph.facebook.com:app_id": "123456789"}}),
	]}))) == 0
}

test_pass_saml_and_service_trust if {
	count(_findings(_role({"Statement": [
		_statement("arn:aws:iam::123456789012:saml-provider/okta", "sts:AssumeRoleWithSAML", {}),
		{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"},
	]}))) == 0
}

test_fail_sub_only_irsa if {
	r := _role({"Statement": [_statement(_eks, "sts:AssumeRoleWithWebIdentity", {"StringEquals": {sprintf("%s:sub", [_eks_key]): "system:serviceaccount:orders:api"}})]})
	_findings(r) == {_fail("statement 1: oidc.eks.eu-west-1.amazonaws.com/id/abcdef0123456789")}
}

test_fail_wildcard_or_other_provider_audience if {
	r := _role({"Statement": [object.union(
		_statement(["accounts.google.com"], "sts:*", {"StringLike": {"accounts.google.com:aud": "*"}}),
		{"Sid": "Google"},
	)]})
	_findings(r) == {_fail("statement \"Google\": accounts.google.com")}
	r2 := _role({"Statement": [_statement("accounts.google.com", "sts:AssumeRoleWithWebIdentity", {"StringEquals": {"cognito-identity.amazonaws.com:aud": "x"}})]})
	_findings(r2) == {_fail("statement 1: accounts.google.com")}
}

test_fail_negated_audience if {
	r := _role({"Statement": [_statement("cognito-identity.amazonaws.com", "sts:AssumeRoleWithWebIdentity", {"StringNotEquals": {"cognito-identity.amazonaws.com:aud": "x"}})]})
	_findings(r) == {_fail("statement 1: cognito-identity.amazonaws.com")}
}

test_missing_trust_policy if {
	_findings(json.patch(_role(null), [{"op": "remove", "path": "/attributes/assume_role_policy"}])) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"orders-irsa\": assume_role_policy is missing from the inventory", ["assume_role_policy"],
	)}
}

test_unknown_trust_policy if {
	r := object.union(_role(null), {"unknown": ["assume_role_policy"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"orders-irsa\": assume_role_policy is known only after apply", ["assume_role_policy"],
	)}
}

# NotAction that leaves AssumeRoleWithWebIdentity allowed counts; one that
# lists it does not.
test_fail_not_action_statement if {
	r := _role({"Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "NotAction": "sts:AssumeRole"}]})
	_findings(r) == {_fail("statement 1: accounts.google.com")}
	count(_findings(_role({"Statement": [{"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "NotAction": ["sts:AssumeRoleWith*"]}]}))) == 0
}

test_missing_trust_policy_of_another_type if {
	_findings(_role("{\"Statement\": []}")) == {expect.indeterminate(
		_metadata, _address, "aws_iam_role",
		"IAM role \"orders-irsa\": assume_role_policy is not a policy document", ["assume_role_policy"],
	)}
}
