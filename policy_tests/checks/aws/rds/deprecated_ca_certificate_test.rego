package checks.aws.rds.deprecated_ca_certificate_test

import data.checks.aws.rds.deprecated_ca_certificate as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-017",
	"title": "RDS instance using a deprecated CA certificate",
	"description": "Clients that verify the database's TLS certificate trust it through the certificate authority named by ca_cert_identifier. A retired CA (rds-ca-2019 expired in August 2024) leaves clients either failing to connect or, worse, configured to skip verification, which opens the connection to interception.",
	"severity": "medium",
	"resource_types": ["aws_db_instance"],
	"controls": {"gdpr": ["Art.32(1)(a)"], "hipaa": ["164.312(e)(1)"], "iso27001": ["A.8.24"], "pci_dss": ["4.2.1", "4.2.1.1"], "soc2": ["CC6.7"]},
	"remediation": "Set ca_cert_identifier to a current CA (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1), update the clients' trust store with the matching bundle, and apply the change in a maintenance window (the instance restarts).",
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

test_pass_current_ca if {
	r := _db({"ca_cert_identifier": "rds-ca-rsa2048-g1"}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_rds_ca_2019 if {
	r := _db({"ca_cert_identifier": "rds-ca-2019"}, [])
	check.findings == {expect.fail(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\" uses a deprecated CA certificate (ca_cert_identifier = \"rds-ca-2019\")",
	)} with input as _inventory([r])
}

test_fail_matched_without_case if {
	r := _db({"ca_cert_identifier": "RDS-CA-2015"}, [])
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_pass_parameter_emptied if {
	r := _db({"ca_cert_identifier": "rds-ca-2019"}, [])
	count(check.findings) == 0 with input as _with_parameters([r], {"rds_deprecated_ca_certificates": []})
}

# Unset in a plan: RDS picks the account's default CA at apply.
test_unknown_ca if {
	r := _db({}, ["ca_cert_identifier"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": ca_cert_identifier is known only after apply", ["ca_cert_identifier"],
	)} with input as _inventory([r])
}

test_missing_ca if {
	r := _db({"engine": "mysql"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": ca_cert_identifier is missing from the inventory", ["ca_cert_identifier"],
	)} with input as _inventory([r])
}

test_missing_null_ca_not_recorded if {
	r := _db({"ca_cert_identifier": null}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_db_instance.orders", "aws_db_instance",
		"aws_db_instance \"orders\": ca_cert_identifier is not recorded (empty, null or not text)", ["ca_cert_identifier"],
	)} with input as _inventory([r])
}
