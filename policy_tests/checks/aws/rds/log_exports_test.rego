package checks.aws.rds.log_exports_test

import data.checks.aws.rds.log_exports as check

# Literal copies of the check's METADATA: a change there must change these.
_title := "RDS logs not exported to CloudWatch Logs"

_controls := {
	"gdpr": ["Art.32(1)(b)"],
	"hipaa": ["164.312(b)"],
	"pci_dss": ["10.2.1"],
	"soc2": ["CC7.2"],
}

_remediation := "Set enabled_cloudwatch_logs_exports to the engine's log types (postgresql for PostgreSQL; audit, error and slowquery for MySQL/MariaDB) and give the log groups a retention of at least minimum_log_retention_days."

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

test_metadata_matches_annotation if {
	check.metadata == {
		"check_id": "AWS-RDS-007",
		"title": _title,
		"description": "Database logs kept only on the instance rotate away within days and are lost with it; exporting them to CloudWatch Logs keeps a central, retained record of connections, errors and audit events for monitoring and investigation.",
		"severity": "medium",
		"resource_types": ["aws_db_instance", "aws_rds_cluster"],
		"controls": _controls,
		"remediation": _remediation,
	}
}

test_pass_postgres_logs_exported if {
	r := _instance({"engine": "postgres", "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_cluster_audit_log_exported if {
	r := _cluster({"engine": "aurora-mysql", "enabled_cloudwatch_logs_exports": ["audit"]})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_no_exports_on_instance if {
	r := _instance({"engine": "postgres", "enabled_cloudwatch_logs_exports": []})
	findings := check.findings with input as _inventory([r])
	findings == {{
		"check_id": "AWS-RDS-007",
		"title": _title,
		"severity": "medium",
		"controls": _controls,
		"remediation": _remediation,
		"resource": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"resource_type": "aws_db_instance",
		"status": "fail",
		"message": "aws_db_instance \"orders\" exports no logs to CloudWatch Logs (enabled_cloudwatch_logs_exports = [])",
		"paths": [],
	}}
}

test_fail_no_exports_on_cluster if {
	r := _cluster({"engine": "aurora-postgresql", "enabled_cloudwatch_logs_exports": []})
	findings := check.findings with input as _inventory([r])
	findings == {{
		"check_id": "AWS-RDS-007",
		"title": _title,
		"severity": "medium",
		"controls": _controls,
		"remediation": _remediation,
		"resource": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
		"resource_type": "aws_rds_cluster",
		"status": "fail",
		"message": "aws_rds_cluster \"analytics\" exports no logs to CloudWatch Logs (enabled_cloudwatch_logs_exports = [])",
		"paths": [],
	}}
}

test_missing_enabled_cloudwatch_logs_exports if {
	r := _instance({"engine": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {{
		"check_id": "AWS-RDS-007",
		"title": _title,
		"severity": "medium",
		"controls": _controls,
		"remediation": _remediation,
		"resource": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"resource_type": "aws_db_instance",
		"status": "indeterminate",
		"message": "aws_db_instance \"orders\": enabled_cloudwatch_logs_exports is missing from the inventory",
		"paths": ["enabled_cloudwatch_logs_exports"],
	}}
}

test_unknown_enabled_cloudwatch_logs_exports if {
	r := object.union(_cluster({"enabled_cloudwatch_logs_exports": []}), {"unknown": ["enabled_cloudwatch_logs_exports"]})
	findings := check.findings with input as _inventory([r])
	findings == {{
		"check_id": "AWS-RDS-007",
		"title": _title,
		"severity": "medium",
		"controls": _controls,
		"remediation": _remediation,
		"resource": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
		"resource_type": "aws_rds_cluster",
		"status": "indeterminate",
		"message": "aws_rds_cluster \"analytics\": enabled_cloudwatch_logs_exports is known only after apply",
		"paths": ["enabled_cloudwatch_logs_exports"],
	}}
}

# One element known only after apply makes the whole list undecidable.
test_unknown_one_export_element if {
	r := object.union(_instance({"enabled_cloudwatch_logs_exports": [""]}), {"unknown": ["enabled_cloudwatch_logs_exports.0"]})
	findings := check.findings with input as _inventory([r])
	[f.status | some f in findings] == ["indeterminate"]
}

test_pass_out_of_scope_types_ignored if {
	cluster := {
		"address": "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse",
		"type": "aws_redshift_cluster",
		"provider": "aws",
		"name": "warehouse",
		"attributes": {"enabled_cloudwatch_logs_exports": []},
	}
	count(check.findings) == 0 with input as _inventory([cluster])
	count(check.resources) == 0 with input as _inventory([cluster])
}
