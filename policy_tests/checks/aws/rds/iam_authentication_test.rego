package checks.aws.rds.iam_authentication_test

import data.checks.aws.rds.iam_authentication as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-006",
	"title": "RDS IAM database authentication disabled",
	"description": "With IAM database authentication, database logins use short-lived tokens tied to IAM identities, so access is granted, reviewed and revoked centrally instead of through long-lived database passwords.",
	"severity": "low",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(d)"],
		"pci_dss": ["8.3.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.5", "A.5.16"],
	},
	"remediation": "Set iam_database_authentication_enabled = true and grant the rds_iam role (PostgreSQL) or the AWSAuthenticationPlugin (MySQL/MariaDB) to users who should log in with IAM tokens.",
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

_fail(r) := expect.fail(
	_metadata, r.address, r.type,
	sprintf("%s %q accepts only database passwords (iam_database_authentication_enabled = false)", [r.type, r.name]),
)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_iam_authentication_enabled if {
	r := _instance({"engine": "postgres", "iam_database_authentication_enabled": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_postgres_instance_without_iam_authentication if {
	r := _instance({"engine": "postgres", "iam_database_authentication_enabled": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" accepts only database passwords (iam_database_authentication_enabled = false)",
	)}
}

test_fail_supported_engines if {
	every engine in ["mysql", "MariaDB", "aurora-postgresql", "aurora-mysql", "aurora"] {
		r := _cluster({"engine": engine, "iam_database_authentication_enabled": false})
		check.findings == {_fail(r)} with input as _inventory([r])
	}
}

# Without a known engine the check cannot rule itself out.
test_fail_engine_missing if {
	r := _cluster({"iam_database_authentication_enabled": false})
	check.findings == {_fail(r)} with input as _inventory([r])
}

test_fail_engine_unknown if {
	r := object.union(_cluster({"engine": "oracle-ee", "iam_database_authentication_enabled": false}), {"unknown": ["engine"]})
	check.findings == {_fail(r)} with input as _inventory([r])
}

test_pass_unsupported_engines_out_of_scope if {
	every engine in ["oracle-ee", "sqlserver-se", "db2-ae", "custom-sqlserver-ee"] {
		r := _instance({"engine": engine, "iam_database_authentication_enabled": false})
		count(check.findings) == 0 with input as _inventory([r])
		count(check.resources) == 0 with input as _inventory([r])
	}
}

test_missing_iam_database_authentication_enabled if {
	r := _instance({"engine": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": iam_database_authentication_enabled is missing from the inventory",
		["iam_database_authentication_enabled"],
	)}
}

test_unknown_iam_database_authentication_enabled if {
	r := object.union(_cluster({"engine": "aurora-postgresql", "iam_database_authentication_enabled": false}), {"unknown": ["iam_database_authentication_enabled"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\": iam_database_authentication_enabled is known only after apply",
		["iam_database_authentication_enabled"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	table := {
		"address": "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse",
		"type": "aws_redshift_cluster",
		"provider": "aws",
		"name": "warehouse",
		"attributes": {"iam_database_authentication_enabled": false},
	}
	count(check.findings) == 0 with input as _inventory([table])
	count(check.resources) == 0 with input as _inventory([table])
}
