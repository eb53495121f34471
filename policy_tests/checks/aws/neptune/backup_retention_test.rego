package checks.aws.neptune.backup_retention_test

import data.checks.aws.neptune.backup_retention as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NEP-005",
	"title": "Neptune backup retention below the minimum",
	"description": "Neptune's continuous backups and point-in-time restore are how a graph is recovered after corruption, a bad bulk load or deletion; a retention shorter than the configured minimum (Neptune keeps 1 day unless told otherwise) leaves too short a window to notice and recover.",
	"severity": "medium",
	"resource_types": ["aws_neptune_cluster"],
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
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/neptune", "status": "complete"}],
	"resources": resources,
}

_cluster(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:social-graph",
	"type": "aws_neptune_cluster",
	"provider": "aws",
	"name": "social-graph",
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_retention_at_minimum if {
	r := _cluster({"backup_retention_period": 7})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_default_retention if {
	r := _cluster({"backup_retention_period": 1})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"social-graph\" keeps backups for 1 day(s), below the minimum of 7 (backup_retention_period = 1)", [])} with input as _inventory([r])
}

test_fail_minimum_parameter_raised if {
	r := _cluster({"backup_retention_period": 7})
	inventory := object.union(_inventory([r]), {"parameters": {"minimum_backup_retention_days": 14}})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"social-graph\" keeps backups for 7 day(s), below the minimum of 14 (backup_retention_period = 7)", [])} with input as inventory
}

test_missing_backup_retention_period if {
	r := _cluster({"engine": "neptune"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": backup_retention_period is missing from the inventory", ["backup_retention_period"])} with input as _inventory([r])
}

test_unknown_backup_retention_period if {
	r := object.union(_cluster({}), {"unknown": ["backup_retention_period"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": backup_retention_period is known only after apply", ["backup_retention_period"])} with input as _inventory([r])
}

test_null_backup_retention_period_is_indeterminate if {
	r := _cluster({"backup_retention_period": null})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": backup_retention_period is not recorded (null)", ["backup_retention_period"])} with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_cluster({"backup_retention_period": 1}), {"type": "aws_rds_cluster"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
