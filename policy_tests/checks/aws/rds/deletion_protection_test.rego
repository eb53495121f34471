package checks.aws.rds.deletion_protection_test

import data.checks.aws.rds.deletion_protection as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-005",
	"title": "RDS deletion protection disabled",
	"description": "Without deletion protection one API call or a mistaken Terraform destroy deletes the database, and with it its automated backups.",
	"severity": "medium",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(c)(1)"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.13", "A.5.33"],
	},
	"remediation": "Set deletion_protection = true; turn it off deliberately, in a reviewed change, only when the database is really to be retired.",
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

test_pass_protected_instance if {
	r := _instance({"deletion_protection": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_protected_cluster if {
	r := _cluster({"deletion_protection": true})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_unprotected_instance if {
	r := _instance({"deletion_protection": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" can be deleted without a safeguard (deletion_protection = false)",
	)}
}

test_fail_unprotected_cluster if {
	r := _cluster({"deletion_protection": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\" can be deleted without a safeguard (deletion_protection = false)",
	)}
}

test_missing_deletion_protection if {
	r := _instance({"engine": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": deletion_protection is missing from the inventory", ["deletion_protection"],
	)}
}

test_unknown_deletion_protection if {
	r := object.union(_cluster({"deletion_protection": false}), {"unknown": ["deletion_protection"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\": deletion_protection is known only after apply", ["deletion_protection"],
	)}
}

test_fail_only_offending_resources_reported if {
	good := _cluster({"deletion_protection": true})
	bad := _instance({"deletion_protection": false})
	findings := check.findings with input as _inventory([good, bad])
	{f.resource | some f in findings} == {"arn:aws:rds:eu-west-1:123456789012:db:orders"}
	check.resources == {good, bad} with input as _inventory([good, bad])
}

test_pass_out_of_scope_types_ignored if {
	snapshot := {
		"address": "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01",
		"type": "aws_db_snapshot",
		"provider": "aws",
		"name": "orders-2026-11-01",
		"attributes": {"deletion_protection": false},
	}
	count(check.findings) == 0 with input as _inventory([snapshot])
	count(check.resources) == 0 with input as _inventory([snapshot])
}
