package checks.aws.rds.log_exports_test

import data.checks.aws.rds.log_exports as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-007",
	"title": "RDS logs not exported to CloudWatch Logs",
	"description": "Database logs kept only on the instance rotate away within days and are lost with it; exporting them to CloudWatch Logs keeps a central, retained record of connections, errors and audit events for monitoring and investigation.",
	"severity": "medium",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Set enabled_cloudwatch_logs_exports to the engine's log types, including its main log (postgresql for PostgreSQL; audit, with the audit plugin, or general, besides error and slowquery, for MySQL/MariaDB; audit for Oracle; error for SQL Server) and give the log groups a retention of at least minimum_log_retention_days.",
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

test_metadata_matches_annotation if {
	check.metadata == _metadata
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
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" exports no logs to CloudWatch Logs (enabled_cloudwatch_logs_exports = [])",
	)}
}

test_fail_no_exports_on_cluster if {
	r := _cluster({"engine": "aurora-postgresql", "enabled_cloudwatch_logs_exports": []})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\" exports no logs to CloudWatch Logs (enabled_cloudwatch_logs_exports = [])",
	)}
}

test_missing_enabled_cloudwatch_logs_exports if {
	r := _instance({"engine": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": enabled_cloudwatch_logs_exports is missing from the inventory",
		["enabled_cloudwatch_logs_exports"],
	)}
}

test_unknown_enabled_cloudwatch_logs_exports if {
	r := object.union(_cluster({"enabled_cloudwatch_logs_exports": []}), {"unknown": ["enabled_cloudwatch_logs_exports"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\": enabled_cloudwatch_logs_exports is known only after apply",
		["enabled_cloudwatch_logs_exports"],
	)}
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

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

# Exporting only side logs (upgrade, slowquery, ...) leaves the database's own
# log on the instance.
test_fail_postgres_without_postgresql_log if {
	r := _instance({"engine": "postgres", "enabled_cloudwatch_logs_exports": ["upgrade"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" does not export the engine's main log to CloudWatch Logs (engine \"postgres\" needs postgresql; enabled_cloudwatch_logs_exports = [\"upgrade\"])",
	)}
}

test_fail_mysql_family_without_audit_or_general_log if {
	every engine in ["mysql", "mariadb", "aurora-mysql", "aurora", "MySQL"] {
		r := _cluster({"engine": engine, "enabled_cloudwatch_logs_exports": ["error", "slowquery"]})
		message := sprintf("aws_rds_cluster \"analytics\" does not export the engine's main log to CloudWatch Logs (engine %q needs audit or general; enabled_cloudwatch_logs_exports = [\"error\", \"slowquery\"])", [engine])
		check.findings == {_finding(r, "fail", message, [])} with input as _inventory([r])
	}
}

test_fail_oracle_and_sqlserver_without_main_log if {
	check.findings == {_finding(
		_instance({"engine": "oracle-ee", "enabled_cloudwatch_logs_exports": ["alert", "listener"]}),
		"fail",
		"aws_db_instance \"orders\" does not export the engine's main log to CloudWatch Logs (engine \"oracle-ee\" needs audit; enabled_cloudwatch_logs_exports = [\"alert\", \"listener\"])",
		[],
	)} with input as _inventory([_instance({"engine": "oracle-ee", "enabled_cloudwatch_logs_exports": ["alert", "listener"]})])
	check.findings == {_finding(
		_instance({"engine": "sqlserver-se", "enabled_cloudwatch_logs_exports": ["agent"]}),
		"fail",
		"aws_db_instance \"orders\" does not export the engine's main log to CloudWatch Logs (engine \"sqlserver-se\" needs error; enabled_cloudwatch_logs_exports = [\"agent\"])",
		[],
	)} with input as _inventory([_instance({"engine": "sqlserver-se", "enabled_cloudwatch_logs_exports": ["agent"]})])
}

test_pass_engines_with_their_main_log if {
	every engine, exports in {
		"postgres": ["postgresql"],
		"aurora-postgresql": ["postgresql", "instance"],
		"mysql": ["general"],
		"mariadb": ["audit", "error"],
		"aurora-mysql": ["audit"],
		"oracle-se2": ["audit", "alert"],
		"sqlserver-ee": ["error", "agent"],
	} {
		r := _instance({"engine": engine, "enabled_cloudwatch_logs_exports": exports})
		count(check.findings) == 0 with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}

# With exports set, whether they include the main log depends on the engine.
test_missing_engine_with_exports if {
	r := _instance({"enabled_cloudwatch_logs_exports": ["postgresql"]})
	check.findings == {_finding(r, "indeterminate", "aws_db_instance \"orders\": engine is missing from the inventory", ["engine"])} with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_missing_engine_empty_or_null_with_exports if {
	every engine, text in {"": "\"\"", "null": "null"} {
		value := {"": "", "null": null}[engine]
		r := _instance({"engine": value, "enabled_cloudwatch_logs_exports": ["postgresql"]})
		message := sprintf("aws_db_instance \"orders\": engine is not recorded (%s)", [text])
		check.findings == {_finding(r, "indeterminate", message, ["engine"])} with input as _inventory([r])
	}
}

test_unknown_engine_with_exports if {
	r := object.union(_cluster({"engine": "aurora-postgresql", "enabled_cloudwatch_logs_exports": ["instance"]}), {"unknown": ["engine"]})
	check.findings == {_finding(r, "indeterminate", "aws_rds_cluster \"analytics\": engine is known only after apply", ["engine"])} with input as _inventory([r])
}

test_missing_main_log_rule_for_engine if {
	r := _instance({"engine": "db2-se", "enabled_cloudwatch_logs_exports": ["diag.log"]})
	check.findings == {_finding(r, "indeterminate", "aws_db_instance \"orders\": no main log type is known for engine \"db2-se\" (enabled_cloudwatch_logs_exports = [\"diag.log\"])", ["engine"])} with input as _inventory([r])
}

# An empty list exports nothing whatever the engine.
test_fail_no_exports_without_engine if {
	r := _instance({"enabled_cloudwatch_logs_exports": []})
	check.findings == {_finding(r, "fail", "aws_db_instance \"orders\" exports no logs to CloudWatch Logs (enabled_cloudwatch_logs_exports = [])", [])} with input as _inventory([r])
}

test_missing_exports_null if {
	r := _instance({"engine": "postgres", "enabled_cloudwatch_logs_exports": null})
	check.findings == {_finding(r, "indeterminate", "aws_db_instance \"orders\": enabled_cloudwatch_logs_exports is not recorded (null)", ["enabled_cloudwatch_logs_exports"])} with input as _inventory([r])
}
