package checks.aws.rds.copy_tags_to_snapshot_test

import data.checks.aws.rds.copy_tags_to_snapshot as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RDS-013",
	"title": "RDS tags not copied to snapshots",
	"description": "Snapshots hold the same data as the database; without copy_tags_to_snapshot they lose its classification and ownership tags, so they escape the checks and handling rules that the classification drives.",
	"severity": "low",
	"resource_types": ["aws_db_instance", "aws_rds_cluster"],
	"controls": {"soc2": ["C1.1"], "iso27001": ["A.5.12", "A.5.13"]},
	"remediation": "Set copy_tags_to_snapshot = true, and tag existing snapshots with the database's classification tags.",
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

test_pass_tags_copied if {
	r := _instance({"copy_tags_to_snapshot": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_instance_tags_not_copied if {
	r := _instance({"copy_tags_to_snapshot": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\" creates snapshots without its tags (copy_tags_to_snapshot = false)",
	)}
}

test_fail_cluster_tags_not_copied if {
	r := _cluster({"copy_tags_to_snapshot": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\" creates snapshots without its tags (copy_tags_to_snapshot = false)",
	)}
}

test_missing_copy_tags_to_snapshot if {
	r := _cluster({"engine": "aurora-postgresql"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:cluster:analytics", "aws_rds_cluster",
		"aws_rds_cluster \"analytics\": copy_tags_to_snapshot is missing from the inventory", ["copy_tags_to_snapshot"],
	)}
}

test_unknown_copy_tags_to_snapshot if {
	r := object.union(_instance({"copy_tags_to_snapshot": false}), {"unknown": ["copy_tags_to_snapshot"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:eu-west-1:123456789012:db:orders", "aws_db_instance",
		"aws_db_instance \"orders\": copy_tags_to_snapshot is known only after apply", ["copy_tags_to_snapshot"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	snapshot := {
		"address": "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-2026-11-01",
		"type": "aws_db_snapshot",
		"provider": "aws",
		"name": "orders-2026-11-01",
		"attributes": {"copy_tags_to_snapshot": false},
	}
	count(check.findings) == 0 with input as _inventory([snapshot])
	count(check.resources) == 0 with input as _inventory([snapshot])
}
