package checks.aws.rds.backup_retention_test

import data.checks.aws.rds.backup_retention as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-004",
	"title": "RDS automated backup retention below the minimum",
	"description": "Automated backups and point-in-time restore are how a database is recovered after corruption, deletion or ransomware; a retention shorter than the configured minimum (0 turns backups off) leaves too short a window to notice and recover.",
	"severity": "medium",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(c)"],
		"hipaa": ["164.308(a)(7)(ii)(A)"],
		"pci_dss": ["12.10.1"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.13"],
	},
	"remediation": "Set backup_retention_period to at least the minimum_backup_retention_days parameter (7 by default, up to 35), and keep longer-term copies in AWS Backup.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
	"resources": resources,
}

_instance(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
	"type": "aws_db_instance",
	"provider": "aws",
	"name": "orders",
	"attributes": attributes,
}

_cluster(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
	"type": "aws_rds_cluster",
	"provider": "aws",
	"name": "analytics",
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_retention_above_minimum if {
	r := _instance({"engine": "postgres", "backup_retention_period": 35})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

# The minimum itself is enough.
test_pass_retention_at_minimum if {
	r := _cluster({"backup_retention_period": 7})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_retention_below_minimum if {
	r := _instance({"engine": "postgres", "backup_retention_period": 6})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" keeps automated backups for 6 day(s), below the minimum of 7 (backup_retention_period = 6)",
	)}
}

test_fail_backups_disabled if {
	r := _cluster({"backup_retention_period": 0})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\" keeps automated backups for 0 day(s), below the minimum of 7 (backup_retention_period = 0)",
	)}
}

test_fail_parameter_raised if {
	r := _instance({"backup_retention_period": 14})
	inventory := object.union(_inventory([r]), {"parameters": {"minimum_backup_retention_days": 30}})
	check.findings == {_finding(r, "fail", "aws_db_instance \"orders\" keeps automated backups for 14 day(s), below the minimum of 30 (backup_retention_period = 14)", [])} with input as inventory
}

test_pass_parameter_lowered if {
	r := _instance({"backup_retention_period": 1})
	inventory := object.union(_inventory([r]), {"parameters": {"minimum_backup_retention_days": 1}})
	count(check.findings) == 0 with input as inventory
}

test_missing_backup_retention_period if {
	r := _instance({"engine": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": backup_retention_period is missing from the inventory",
		["backup_retention_period"],
	)}
}

test_unknown_backup_retention_period if {
	r := object.union(_cluster({"backup_retention_period": 0}), {"unknown": ["backup_retention_period"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\": backup_retention_period is known only after apply", ["backup_retention_period"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	table := {
		"address": "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions",
		"type": "aws_dynamodb_table",
		"provider": "aws",
		"name": "sessions",
		"attributes": {"backup_retention_period": 0},
	}
	count(check.findings) == 0 with input as _inventory([table])
	count(check.resources) == 0 with input as _inventory([table])
}
