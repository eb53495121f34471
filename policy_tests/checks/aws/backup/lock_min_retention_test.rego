package checks.aws.backup.lock_min_retention_test

import data.checks.aws.backup.lock_min_retention as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-BKP-002",
	"title": "AWS Backup Vault Lock minimum retention below the minimum",
	"description": "Vault Lock only protects recovery points for its minimum retention; a lock without one, or with a shorter one than the configured minimum, still lets recovery points be deleted early.",
	"severity": "low",
	"resource_types": ["aws_backup_vault"],
	"controls": {
		"gdpr": ["Art.32(1)(c)"],
		"hipaa": ["164.308(a)(7)(ii)(A)"],
		"pci_dss": ["12.10.1"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.13", "A.5.33"],
	},
	"remediation": "Set the vault lock's min_retention_days to at least the minimum_backup_retention_days parameter (7 by default).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/backup", "status": "complete"}],
	"resources": resources,
}

_vault(lock) := {
	"address": "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases",
	"type": "aws_backup_vault",
	"provider": "aws",
	"name": "databases",
	"attributes": {"name": "databases", "lock_configuration": lock},
}

_finding(status, message, paths) := expect.finding(
	_metadata, "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases", "aws_backup_vault", status, message,
	paths,
)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_lock_min_retention_above_minimum if {
	r := _vault({"min_retention_days": 35, "max_retention_days": 365})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_lock_min_retention_at_minimum if {
	r := _vault({"min_retention_days": 7})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_lock_min_retention_below_minimum if {
	r := _vault({"min_retention_days": 1, "max_retention_days": 30})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases", "aws_backup_vault",
		"aws_backup_vault \"databases\" locks recovery points for 1 day(s), below the minimum of 7 (lock_configuration.min_retention_days = 1)",
	)}
}

test_fail_lock_without_min_retention if {
	r := _vault({"min_retention_days": null, "max_retention_days": 30})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases", "aws_backup_vault",
		"aws_backup_vault \"databases\" has a Vault Lock without a minimum retention (lock_configuration.min_retention_days = null)",
	)}
}

test_fail_parameter_raised if {
	r := _vault({"min_retention_days": 14})
	inventory := object.union(_inventory([r]), {"parameters": {"minimum_backup_retention_days": 30}})
	check.findings == {_finding("fail", "aws_backup_vault \"databases\" locks recovery points for 14 day(s), below the minimum of 30 (lock_configuration.min_retention_days = 14)", [])} with input as inventory
}

# A vault without a lock is left to AWS-BKP-001.
test_pass_vault_without_lock_out_of_scope if {
	r := _vault(null)
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_missing_min_retention_days if {
	r := _vault({"max_retention_days": 30})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases", "aws_backup_vault",
		"aws_backup_vault \"databases\": lock_configuration.min_retention_days is missing from the inventory",
		["lock_configuration.min_retention_days"],
	)}
}

test_missing_lock_configuration if {
	r := object.remove(_vault(null), ["attributes"])
	r2 := object.union(r, {"attributes": {"name": "databases"}})
	check.findings == {_finding("indeterminate", "aws_backup_vault \"databases\": lock_configuration.min_retention_days is missing from the inventory", ["lock_configuration.min_retention_days"])} with input as _inventory([r2])
	r2 in check.resources with input as _inventory([r2])
}

test_unknown_lock_configuration if {
	r := object.union(_vault(null), {"unknown": ["lock_configuration"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases", "aws_backup_vault",
		"aws_backup_vault \"databases\": lock_configuration.min_retention_days is known only after apply",
		["lock_configuration.min_retention_days"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	table := {
		"address": "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions",
		"type": "aws_dynamodb_table",
		"provider": "aws",
		"name": "sessions",
		"attributes": {"lock_configuration": {"min_retention_days": 1}},
	}
	count(check.findings) == 0 with input as _inventory([table])
	count(check.resources) == 0 with input as _inventory([table])
}
