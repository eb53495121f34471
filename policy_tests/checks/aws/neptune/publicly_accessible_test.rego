package checks.aws.neptune.publicly_accessible_test

import data.checks.aws.neptune.publicly_accessible as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NEP-007",
	"title": "Neptune instance publicly accessible",
	"description": "A Neptune instance with a public endpoint can be reached from the internet; a graph of people and their relationships must only be reachable from private networks.",
	"severity": "critical",
	"resource_types": ["aws_neptune_cluster_instance"],
	"controls": {
		"gdpr": ["Art.32(1)(b)", "Art.25(2)"],
		"hipaa": ["164.312(e)(1)", "164.312(a)(1)"],
		"pci_dss": ["1.4.4", "1.3.1"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Set publicly_accessible = false and reach the cluster through private subnets, a VPN, a bastion or a VPC endpoint.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/neptune", "status": "complete"}],
	"resources": resources,
}

_instance(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:db:social-graph-1",
	"type": "aws_neptune_cluster_instance",
	"provider": "aws",
	"name": "social-graph-1",
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_private_instance if {
	r := _instance({"publicly_accessible": false})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_public_instance if {
	r := _instance({"publicly_accessible": true})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster_instance \"social-graph-1\" has a public endpoint (publicly_accessible = true)", [])} with input as _inventory([r])
}

test_missing_publicly_accessible if {
	r := _instance({"engine": "neptune"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster_instance \"social-graph-1\": publicly_accessible is missing from the inventory", ["publicly_accessible"])} with input as _inventory([r])
}

test_unknown_publicly_accessible if {
	r := object.union(_instance({}), {"unknown": ["publicly_accessible"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster_instance \"social-graph-1\": publicly_accessible is known only after apply", ["publicly_accessible"])} with input as _inventory([r])
}

test_null_publicly_accessible_is_indeterminate if {
	r := _instance({"publicly_accessible": null})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster_instance \"social-graph-1\": publicly_accessible is not recorded (null)", ["publicly_accessible"])} with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_instance({"publicly_accessible": true}), {"type": "aws_db_instance"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
