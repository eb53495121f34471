package checks.aws.secretsmanager.rotation_enabled_test

import data.checks.aws.secretsmanager.rotation_enabled as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SEC-001",
	"title": "Secrets Manager secret without automatic rotation",
	"description": "A secret that is never rotated stays valid for as long as it leaks unnoticed, in logs, old configuration or a former employee's notes; automatic rotation bounds that exposure.",
	"severity": "medium",
	"resource_types": ["aws_secretsmanager_secret"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(5)(ii)(D)"],
		"pci_dss": ["8.6.3"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17"],
	},
	"remediation": "Add an aws_secretsmanager_secret_rotation with a rotation Lambda (or use managed rotation, e.g. manage_master_user_password on RDS) and rotation_rules within credential_max_age_days.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/secretsmanager", "status": "complete"}],
	"resources": resources,
}

_secret(attributes) := {
	"address": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf",
	"type": "aws_secretsmanager_secret",
	"provider": "aws",
	"name": "orders-db",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_rotation_enabled if {
	r := _secret({"rotation_enabled": true, "rotation_rules": {"automatically_after_days": 30}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_rotation_disabled if {
	r := _secret({"rotation_enabled": false, "rotation_rules": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf", "aws_secretsmanager_secret",
		"aws_secretsmanager_secret \"orders-db\" is never rotated automatically (rotation_enabled = false)",
	)}
}

test_missing_rotation_enabled if {
	r := _secret({"kms_key_id": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf", "aws_secretsmanager_secret",
		"aws_secretsmanager_secret \"orders-db\": rotation_enabled is missing from the inventory", ["rotation_enabled"],
	)}
}

test_unknown_rotation_enabled if {
	r := object.union(_secret({"rotation_enabled": false}), {"unknown": ["rotation_enabled"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf", "aws_secretsmanager_secret",
		"aws_secretsmanager_secret \"orders-db\": rotation_enabled is known only after apply", ["rotation_enabled"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	vault := {
		"address": "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases",
		"type": "aws_backup_vault",
		"provider": "aws",
		"name": "databases",
		"attributes": {"rotation_enabled": false},
	}
	count(check.findings) == 0 with input as _inventory([vault])
	count(check.resources) == 0 with input as _inventory([vault])
}
