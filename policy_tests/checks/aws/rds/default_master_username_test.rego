package checks.aws.rds.default_master_username_test

import data.checks.aws.rds.default_master_username as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-016",
	"title": "RDS database with a well-known default master user name",
	"description": "The master user of an RDS database holds every privilege. A name such as admin, root, postgres or sa is the first one password-guessing tools try, so a well-known name leaves only the password between an attacker who reaches the endpoint and full control of the data.",
	"severity": "medium",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {"gdpr": ["Art.32(1)(b)"], "hipaa": ["164.312(a)(1)", "164.312(d)"], "iso27001": ["A.8.5", "A.8.2"], "pci_dss": ["2.2.2"], "soc2": ["CC6.1"]},
	"remediation": "Choose a master user name that is not in the rds_default_master_usernames parameter (username on aws_db_instance, master_username on aws_rds_cluster). The name cannot be changed in place, and a restored snapshot keeps it: create a new database with another master user name and move the data to it (AWS DMS, dump and restore). Meanwhile keep the master password in Secrets Manager (manage_master_user_password = true) and the endpoint private.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
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

_db(attributes, unknown) := _resource("aws_db_instance", "orders", {}, attributes, unknown)

_cluster(attributes, unknown) := _resource("aws_rds_cluster", "claims", {}, attributes, unknown)

test_pass_distinct_user_names if {
	db := _db({"username": "orders_owner"}, [])
	cluster := _cluster({"master_username": "claims_admin_7f"}, [])
	count(check.findings) == 0 with input as _inventory([db, cluster])
	check.resources == {db, cluster} with input as _inventory([db, cluster])
}

# Matched without case or surrounding spaces; the name itself is never printed.
test_fail_instance_admin_in_any_case if {
	r := _db({"username": " Admin "}, [])
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\" has a well-known default master user name (username is on the rds_default_master_usernames list)",
	)}
	every f in findings {
		not contains(lower(f.message), "admin ")
	}
}

test_fail_cluster_postgres if {
	r := _cluster({"master_username": "postgres"}, [])
	check.findings == {expect.fail(
		_metadata, "aws_rds_cluster.claims", "aws_rds_cluster",
		"aws_rds_cluster \"claims\" has a well-known default master user name (master_username is on the rds_default_master_usernames list)",
	)} with input as _inventory([r])
}

# The cluster's attribute is master_username: a username on it is not read.
test_missing_cluster_master_username if {
	r := _cluster({"username": "postgres"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_rds_cluster.claims", "aws_rds_cluster",
		"aws_rds_cluster \"claims\": master_username is missing from the inventory", ["master_username"],
	)} with input as _inventory([r])
}

test_unknown_username if {
	r := _db({}, ["username"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": username is known only after apply", ["username"],
	)} with input as _inventory([r])
}

test_missing_null_username_not_recorded if {
	r := _db({"username": null}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": username is not recorded (empty, null or not text)", ["username"],
	)} with input as _inventory([r])
}

test_fail_parameter_overridden if {
	r := _db({"username": "orders_owner"}, [])
	inv := _with_parameters([r], {"rds_default_master_usernames": ["orders_owner"]})
	[f.status | some f in check.findings] == ["fail"] with input as inv
}
