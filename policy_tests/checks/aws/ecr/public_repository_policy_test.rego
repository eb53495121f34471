package checks.aws.ecr.public_repository_policy_test

import data.checks.aws.ecr.public_repository_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECR-004",
	"title": "ECR repository policy open to any AWS principal",
	"description": "A repository policy statement that allows \"*\" without a condition naming an account, organization or network lets anyone with an AWS account pull (or, with push actions, replace) the repository's images.",
	"severity": "high",
	"resource_types": [
		"aws_ecr_repository_policy",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(a)(1)",
		],
		"iso27001": [
			"A.5.15",
			"A.8.3",
		],
		"pci_dss": [
			"7.2.1",
		],
		"soc2": [
			"CC6.1",
		],
	},
	"remediation": "Name the accounts or roles that may pull in Principal, or keep \"*\" and add a condition such as {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}}; publish public images through ECR Public instead.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_ecr_repository_policy.app"

_resource(attributes) := {
	"address": _address,
	"type": "aws_ecr_repository_policy",
	"provider": "aws",
	"name": "app",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_statement(principal, condition) := {"Sid": "Pull", "Effect": "Allow", "Principal": principal, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Condition": condition}

test_pass_named_account if {
	r := _resource({"repository": "app", "policy": {"Version": "2012-10-17", "Statement": [_statement({"AWS": "arn:aws:iam::210987654321:root"}, {})]}})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_open_principal_restricted_to_organization if {
	r := _resource({"repository": "app", "policy": {"Statement": _statement("*", {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})}})
	count(check.findings) == 0 with input as _inventory([r])
}

test_pass_deny_to_everyone if {
	r := _resource({"repository": "app", "policy": {"Statement": [object.union(_statement("*", {}), {"Effect": "Deny"})]}})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_open_to_everyone if {
	second := object.remove(_statement({"AWS": ["arn:aws:iam::210987654321:root", "*"]}, {"Bool": {"aws:SecureTransport": "true"}}), ["Sid"])
	r := _resource({"repository": "app", "policy": {"Statement": [_statement("*", {}), second]}})
	check.findings == {expect.fail(_metadata, _address, "aws_ecr_repository_policy", "ECR repository policy \"app\" allows any AWS principal without a restricting condition (statement(s) #1, Pull)")} with input as _inventory([r])
}

test_unknown_policy if {
	r := object.union(_resource({"repository": "app"}), {"unknown": ["policy"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository_policy", "ECR repository policy \"app\": policy is known only after apply", ["policy"])} with input as _inventory([r])
}

test_missing_policy if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository_policy", "ECR repository policy \"app\": policy is missing from the inventory", ["policy"])} with input as _inventory([_resource({"repository": "app"})])
}

test_missing_unparseable_policy if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository_policy", "ECR repository policy \"app\": policy is not a JSON policy document", ["policy"])} with input as _inventory([_resource({"repository": "app", "policy": "{not json"})])
}
