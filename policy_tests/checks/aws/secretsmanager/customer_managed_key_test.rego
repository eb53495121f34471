package checks.aws.secretsmanager.customer_managed_key_test

import data.checks.aws.secretsmanager.customer_managed_key as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SEC-003",
	"title": "Secrets Manager secret not encrypted with a customer-managed KMS key",
	"description": "A secret encrypted with the AWS-managed key (aws/secretsmanager, the default) can be decrypted by any principal of the account that may read the secret: the key's policy cannot be narrowed, its use cannot be granted across accounts, and it cannot be disabled to cut access in an incident. A customer-managed key adds a second, separately governed permission in front of every secret value.",
	"severity": "medium",
	"resource_types": ["aws_secretsmanager_secret"],
	"controls": {"gdpr": ["Art.32(1)(a)"], "hipaa": ["164.312(a)(2)(iv)"], "iso27001": ["A.8.24", "A.5.17"], "pci_dss": ["3.6.1", "8.3.2"], "soc2": ["CC6.1"]},
	"remediation": "Create a customer-managed KMS key whose key policy allows kms:Decrypt only to the roles that read the secret (through Secrets Manager, with the kms:ViaService condition), and set the secret's kms_key_id to it; Secrets Manager re-encrypts the current version on the next update.",
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

test_pass_customer_managed_key if {
	r := _secret({"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/5b7c9d1e-0000-4000-8000-000000000009"}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_customer_alias if {
	r := _secret({"kms_key_id": "alias/secrets-prod"}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_default_key if {
	r := _secret({"kms_key_id": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\" is encrypted with the AWS-managed key (kms_key_id = null)",
	)} with input as _inventory([r])
}

test_fail_aws_managed_alias if {
	r := _secret({"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager"}, [])
	check.findings == {expect.fail(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\" is encrypted with the AWS-managed key (kms_key_id = \"arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager\")",
	)} with input as _inventory([r])
}

test_fail_empty_key if {
	r := _secret({"kms_key_id": ""}, [])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_missing_key if {
	r := _secret({"name": "db-password"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\": kms_key_id is missing from the inventory", ["kms_key_id"],
	)} with input as _inventory([r])
}

test_unknown_key if {
	r := _secret({}, ["kms_key_id"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\": kms_key_id is known only after apply", ["kms_key_id"],
	)} with input as _inventory([r])
}

test_missing_shape_key_not_text if {
	r := _secret({"kms_key_id": 42}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_secretsmanager_secret.db-password", "aws_secretsmanager_secret",
		"Secrets Manager secret \"db-password\": kms_key_id is not a key id, ARN or alias (42)", ["kms_key_id"],
	)} with input as _inventory([r])
}
