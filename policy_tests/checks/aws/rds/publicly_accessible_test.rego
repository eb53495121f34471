package checks.aws.rds.publicly_accessible_test

import data.checks.aws.rds.publicly_accessible as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-002",
	"title": "RDS instance publicly accessible",
	"description": "A database instance with a public endpoint can be reached from the internet; databases holding regulated data must only be reachable from private networks.",
	"severity": "critical",
	"resource_types": ["aws_db_instance"],
	"controls": {
		"gdpr": ["Art.32(1)(b)", "Art.25(2)"],
		"hipaa": ["164.312(e)(1)", "164.312(a)(1)"],
		"pci_dss": ["1.4.4", "1.3.1"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Set publicly_accessible = false and reach the database through a private subnet, a VPN or a bastion.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
	"resources": resources,
}

_instance(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:db:patients",
	"type": "aws_db_instance",
	"provider": "aws",
	"name": "patients",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_private_instance if {
	r := _instance({"engine": "postgres", "publicly_accessible": false})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_public_instance if {
	r := _instance({"engine": "postgres", "publicly_accessible": true})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:patients", "aws_db_instance",
		"aws_db_instance \"patients\" has a public endpoint (publicly_accessible = true)",
	)}
}

test_missing_publicly_accessible if {
	r := _instance({"engine": "postgres", "storage_encrypted": true})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:patients", "aws_db_instance",
		"aws_db_instance \"patients\": publicly_accessible is missing from the inventory", ["publicly_accessible"],
	)}
}

test_unknown_publicly_accessible if {
	r := object.union(_instance({"engine": "postgres"}), {"unknown": ["publicly_accessible"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:patients", "aws_db_instance",
		"aws_db_instance \"patients\": publicly_accessible is known only after apply", ["publicly_accessible"],
	)}
}

# A path listed in unknown wins over a placeholder value: no fail on top of it.
test_unknown_publicly_accessible_with_placeholder_value_is_only_indeterminate if {
	r := object.union(_instance({"publicly_accessible": true}), {"unknown": ["publicly_accessible"]})
	findings := check.findings with input as _inventory([r])
	[f.status | some f in findings] == ["indeterminate"]
}

# aws_rds_cluster has no publicly_accessible attribute: the check ignores it.
test_pass_cluster_out_of_scope if {
	cluster := {
		"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
		"type": "aws_rds_cluster",
		"provider": "aws",
		"name": "analytics",
		"attributes": {"engine": "aurora-postgresql", "storage_encrypted": true},
	}
	findings := check.findings with input as _inventory([cluster])
	count(findings) == 0
	resources := check.resources with input as _inventory([cluster])
	count(resources) == 0
}

test_fail_only_offending_resources_reported if {
	public := _instance({"publicly_accessible": true})
	private := object.union(_instance({"publicly_accessible": false}), {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"name": "orders",
	})
	findings := check.findings with input as _inventory([public, private])
	{f.resource | some f in findings} == {"arn:aws:rds:eu-west-1:123456789012:db:patients"}
	resources := check.resources with input as _inventory([public, private])
	{r.address | some r in resources} == {
		"arn:aws:rds:eu-west-1:123456789012:db:patients",
		"arn:aws:rds:eu-west-1:123456789012:db:orders",
	}
}
