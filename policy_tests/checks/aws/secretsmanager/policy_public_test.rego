package checks.aws.secretsmanager.policy_public_test

import data.checks.aws.secretsmanager.policy_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SEC-004",
	"title": "Secrets Manager secret policy open to any principal",
	"description": "A resource policy that allows Principal \"*\" without a condition naming an account, organization, network or source lets principals of any AWS account call the secret's actions, such as reading its value, limited only by the key's policy.",
	"severity": "critical",
	"resource_types": ["aws_secretsmanager_secret"],
	"controls": {"gdpr": ["Art.25(2)", "Art.32(1)(b)"], "hipaa": ["164.312(a)(1)"], "iso27001": ["A.5.15", "A.5.17", "A.8.3"], "pci_dss": ["7.2.1", "8.3.2"], "soc2": ["CC6.1", "CC6.6"]},
	"remediation": "Name the accounts or roles that need the secret as principals instead of \"*\", or add a condition on aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceVpce to every Allow statement; turn on block_public_policy on aws_secretsmanager_secret_policy.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/secretsmanager", "status": "complete"}],
	"resources": resources,
}

_with_parameters(resources, parameters) := object.union(_inventory(resources), {"parameters": parameters})

_resource(type, name, tags, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": tags,
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_secret(attributes, unknown) := _resource("aws_secretsmanager_secret", "db-password", {}, attributes, unknown)

test_pass_no_policy if {
	r := _secret({"policy": null}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

# How Terraform spells "no policy" on the secret's own policy argument.
test_pass_empty_policy_forms if {
	empty := _secret({"policy": ""}, [])
	braces := object.union(_secret({"policy": "{}"}, []), {"name": "api-key", "address": "aws_secretsmanager_secret.api-key"})
	count(check.findings) == 0 with input as _inventory([empty, braces])
}

test_pass_organization_condition if {
	r := _secret({"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Org", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]}}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_open_statement_in_json_text if {
	r := _secret({"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Everyone\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"}, [])
	check.findings == {expect.fail(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\" policy allows any principal without a narrowing condition: Everyone",
	)} with input as _inventory([r])
}

test_fail_unnamed_statement_any_aws_principal if {
	r := _secret({"policy": {"Statement": {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "secretsmanager:*", "Resource": "*"}}}, [])
	check.findings == {expect.fail(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\" policy allows any principal without a narrowing condition: statement 1",
	)} with input as _inventory([r])
}

test_missing_policy if {
	r := _secret({"name": "db-password"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\": policy is missing from the inventory", ["policy"],
	)} with input as _inventory([r])
}

test_unknown_policy if {
	r := _secret({}, ["policy"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\": policy is known only after apply", ["policy"],
	)} with input as _inventory([r])
}

test_missing_shape_unreadable_policy if {
	r := _secret({"policy": "not json"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\": policy is not a JSON policy document", ["policy"],
	)} with input as _inventory([r])
}
