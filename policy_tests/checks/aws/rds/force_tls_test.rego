package checks.aws.rds.force_tls_test

import data.checks.aws.rds.force_tls as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-010",
	"title": "RDS parameter group does not force TLS",
	"description": "Unless the parameter group forces TLS (rds.force_ssl for PostgreSQL and SQL Server, require_secure_transport for MySQL and MariaDB), clients may connect in clear text and credentials and data cross the network readable.",
	"severity": "high",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Use a custom parameter group with rds.force_ssl = 1 (PostgreSQL, Aurora PostgreSQL, SQL Server) or require_secure_transport = ON (MySQL, MariaDB, Aurora MySQL), and apply it to the database.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
	"resources": resources,
}

_instance(engine, parameters) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
	"type": "aws_db_instance",
	"provider": "aws",
	"name": "orders",
	"attributes": {"engine": engine, "parameter_group": {"name": "orders-pg16", "parameters": parameters}},
}

_cluster(engine, parameters) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
	"type": "aws_rds_cluster",
	"provider": "aws",
	"name": "analytics",
	"attributes": {"engine": engine, "parameter_group": {"name": "analytics-cluster", "parameters": parameters}},
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_postgres_force_ssl if {
	r := _instance("postgres", {"rds.force_ssl": "1", "log_connections": "1"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_engines_with_their_parameter_on if {
	every case in [
		["aurora-postgresql", {"rds.force_ssl": "1"}],
		["sqlserver-se", {"rds.force_ssl": "1"}],
		["mysql", {"require_secure_transport": "ON"}],
		["mariadb", {"require_secure_transport": "1"}],
		["aurora-mysql", {"require_secure_transport": "on"}],
		["aurora", {"require_secure_transport": "true"}],
	] {
		r := _cluster(case[0], case[1])
		count(check.findings) == 0 with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}

test_fail_postgres_force_ssl_off if {
	r := _instance("postgres", {"rds.force_ssl": "0"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" accepts unencrypted connections: parameter group \"orders-pg16\" sets rds.force_ssl = \"0\"",
	)}
}

test_fail_aurora_mysql_secure_transport_off if {
	r := _cluster("aurora-mysql", {"require_secure_transport": "OFF"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\" accepts unencrypted connections: parameter group \"analytics-cluster\" sets require_secure_transport = \"OFF\"",
	)}
}

# Aurora PostgreSQL is read by its own prefix, not as Aurora MySQL's legacy "aurora".
test_fail_aurora_postgresql_reads_force_ssl if {
	r := _cluster("aurora-postgresql", {"rds.force_ssl": "0", "require_secure_transport": "ON"})
	check.findings == {_finding(r, "fail", "aws_rds_cluster \"analytics\" accepts unencrypted connections: parameter group \"analytics-cluster\" sets rds.force_ssl = \"0\"", [])} with input as _inventory([r])
}

# The other engine family's parameter does not count.
test_missing_mysql_parameter_when_only_force_ssl_set if {
	r := _instance("mysql", {"rds.force_ssl": "1"})
	check.findings == {_finding(r, "indeterminate", "aws_db_instance \"orders\": parameter require_secure_transport is missing from parameter_group.parameters", ["parameter_group.parameters"])} with input as _inventory([r])
}

test_fail_group_without_name if {
	r := object.union(object.remove(_instance("postgres", {}), ["attributes"]), {"attributes": {"engine": "postgres", "parameter_group": {"parameters": {"rds.force_ssl": "0"}}}})
	check.findings == {_finding(r, "fail", "aws_db_instance \"orders\" accepts unencrypted connections: parameter group \"\" sets rds.force_ssl = \"0\"", [])} with input as _inventory([r])
}

test_missing_tls_parameter if {
	r := _instance("postgres", {"log_connections": "1"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": parameter rds.force_ssl is missing from parameter_group.parameters",
		["parameter_group.parameters"],
	)}
}

test_missing_parameter_group if {
	r := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"engine": "postgres"},
	}
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": parameter_group.parameters is missing from the inventory",
		["parameter_group.parameters"],
	)}
}

test_missing_engine if {
	r := {
		"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
		"type": "aws_rds_cluster",
		"provider": "aws",
		"name": "analytics",
		"attributes": {"parameter_group": {"name": "analytics-cluster", "parameters": {"rds.force_ssl": "0"}}},
	}
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\": engine is missing from the inventory", ["engine"],
	)}
	r in check.resources with input as _inventory([r])
}

test_unknown_engine if {
	r := object.union(_instance("postgres", {"rds.force_ssl": "0"}), {"unknown": ["engine"]})
	check.findings == {_finding(r, "indeterminate", "aws_db_instance \"orders\": engine is known only after apply", ["engine"])} with input as _inventory([r])
}

test_unknown_parameter_group if {
	r := object.union(_instance("postgres", {"rds.force_ssl": "0"}), {"unknown": ["parameter_group"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": parameter_group.parameters is known only after apply",
		["parameter_group.parameters"],
	)}
}

# A parameter name containing a dot, listed as unknown, still overlaps the map.
test_unknown_single_parameter if {
	r := object.union(_instance("postgres", {"rds.force_ssl": "0"}), {"unknown": ["parameter_group.parameters.rds.force_ssl"]})
	check.findings == {_finding(r, "indeterminate", "aws_db_instance \"orders\": parameter_group.parameters is known only after apply", ["parameter_group.parameters"])} with input as _inventory([r])
}

test_pass_engines_without_tls_parameter_out_of_scope if {
	every engine in ["oracle-ee", "db2-se"] {
		r := _instance(engine, {})
		count(check.findings) == 0 with input as _inventory([r])
		count(check.resources) == 0 with input as _inventory([r])
	}
}

test_pass_out_of_scope_types_ignored if {
	cluster := {
		"address": "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse",
		"type": "aws_redshift_cluster",
		"provider": "aws",
		"name": "warehouse",
		"attributes": {"engine": "postgres", "parameter_group": {"parameters": {"rds.force_ssl": "0"}}},
	}
	count(check.findings) == 0 with input as _inventory([cluster])
	count(check.resources) == 0 with input as _inventory([cluster])
}

# An empty or null engine names no engine: undecided, not out of scope.
test_missing_engine_empty_or_null if {
	every value, text in {"": "\"\"", " ": "\" \"", "null": "null"} {
		engine := {"": "", " ": " ", "null": null}[value]
		r := _instance(engine, {"rds.force_ssl": "0"})
		message := sprintf("aws_db_instance \"orders\": engine is not recorded (%s)", [text])
		check.findings == {_finding(r, "indeterminate", message, ["engine"])} with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}

# A non-string parameter value is not read as off or on.
test_missing_tls_parameter_value_not_a_string if {
	r := _instance("postgres", {"rds.force_ssl": null})
	check.findings == {_finding(r, "indeterminate", "aws_db_instance \"orders\": parameter rds.force_ssl is not recorded in parameter_group.parameters (null)", ["parameter_group.parameters"])} with input as _inventory([r])
}
