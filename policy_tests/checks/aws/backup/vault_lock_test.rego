package checks.aws.backup.vault_lock_test

import data.checks.aws.backup.vault_lock as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-BKP-001",
	"title": "AWS Backup vault without Vault Lock",
	"description": "Without Vault Lock, anyone with the right permissions, including an attacker with stolen credentials, can delete recovery points or shorten their retention, so the backups are not protected against ransomware or malicious deletion.",
	"severity": "medium",
	"resource_types": ["aws_backup_vault"],
	"controls": {
		"gdpr": ["Art.32(1)(c)"],
		"hipaa": ["164.308(a)(7)(ii)(A)", "164.312(c)(1)"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.13", "A.5.33"],
	},
	"remediation": "Add an aws_backup_vault_lock_configuration with min_retention_days and max_retention_days, and changeable_for_days to lock it in compliance mode once tested.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/backup", "status": "complete"}],
	"resources": resources,
}

_vault(attributes) := {
	"address": "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases",
	"type": "aws_backup_vault",
	"provider": "aws",
	"name": "databases",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_locked_vault if {
	r := _vault({"name": "databases", "lock_configuration": {"min_retention_days": 7, "max_retention_days": 365, "changeable_for_days": 3}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_vault_without_lock if {
	r := _vault({"name": "databases", "lock_configuration": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases", "aws_backup_vault",
		"aws_backup_vault \"databases\" has no Vault Lock: its recovery points can be deleted (lock_configuration = null)",
	)}
}

test_missing_lock_configuration if {
	r := _vault({"name": "databases"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases", "aws_backup_vault",
		"aws_backup_vault \"databases\": lock_configuration is missing from the inventory", ["lock_configuration"],
	)}
}

test_unknown_lock_configuration if {
	r := object.union(_vault({"lock_configuration": null}), {"unknown": ["lock_configuration"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases", "aws_backup_vault",
		"aws_backup_vault \"databases\": lock_configuration is known only after apply", ["lock_configuration"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	table := {
		"address": "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions",
		"type": "aws_dynamodb_table",
		"provider": "aws",
		"name": "sessions",
		"attributes": {"lock_configuration": null},
	}
	count(check.findings) == 0 with input as _inventory([table])
	count(check.resources) == 0 with input as _inventory([table])
}
