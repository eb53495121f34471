package checks.aws.redshift.publicly_accessible_test

import data.checks.aws.redshift.publicly_accessible as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RS-002",
	"title": "Redshift cluster publicly accessible",
	"description": "A publicly accessible cluster gets a public endpoint that can be reached from the internet; data warehouses holding regulated data must only be reachable from private networks.",
	"severity": "critical",
	"resource_types": ["aws_redshift_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)", "Art.25(2)"],
		"hipaa": ["164.312(e)(1)", "164.312(a)(1)"],
		"pci_dss": ["1.4.4", "1.3.1"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Set publicly_accessible = false and reach the cluster through private subnets, a VPN or Redshift-managed VPC endpoints.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/redshift", "status": "complete"}],
	"resources": resources,
}

_cluster(attributes) := {
	"address": "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse",
	"type": "aws_redshift_cluster",
	"provider": "aws",
	"name": "warehouse",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_private_cluster if {
	r := _cluster({"publicly_accessible": false})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_public_cluster if {
	r := _cluster({"publicly_accessible": true})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\" has a public endpoint (publicly_accessible = true)",
	)}
}

test_missing_publicly_accessible if {
	r := _cluster({"encrypted": true})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\": publicly_accessible is missing from the inventory",
		["publicly_accessible"],
	)}
}

test_unknown_publicly_accessible if {
	r := object.union(_cluster({"publicly_accessible": true}), {"unknown": ["publicly_accessible"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\": publicly_accessible is known only after apply", ["publicly_accessible"],
	)}
}

# RDS instances have their own check (AWS-RDS-002).
test_pass_rds_instance_out_of_scope if {
	instance := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"publicly_accessible": true},
	}
	count(check.findings) == 0 with input as _inventory([instance])
	count(check.resources) == 0 with input as _inventory([instance])
}
