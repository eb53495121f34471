package checks.aws.neptune.iam_authentication_test

import data.checks.aws.neptune.iam_authentication as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NEP-003",
	"title": "Neptune IAM database authentication disabled",
	"description": "Without IAM database authentication anyone who can reach a Neptune endpoint on the network can read and change the graph: Neptune has no database users or passwords of its own, so IAM (SigV4-signed requests) is its only access control.",
	"severity": "high",
	"resource_types": ["aws_neptune_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(d)"],
		"pci_dss": ["8.3.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.5", "A.5.16"],
	},
	"remediation": "Set iam_database_authentication_enabled = true, grant the clients' roles neptune-db:* actions on the cluster's resource id only as far as they need, and have them sign their requests (SigV4).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/neptune", "status": "complete"}],
	"resources": resources,
}

_cluster(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:social-graph",
	"type": "aws_neptune_cluster",
	"provider": "aws",
	"name": "social-graph",
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_iam_authentication_on if {
	r := _cluster({"iam_database_authentication_enabled": true})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_iam_authentication_off if {
	r := _cluster({"iam_database_authentication_enabled": false})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"social-graph\" answers any client that reaches it on the network (iam_database_authentication_enabled = false)", [])} with input as _inventory([r])
}

test_missing_iam_database_authentication_enabled if {
	r := _cluster({"engine": "neptune"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": iam_database_authentication_enabled is missing from the inventory", ["iam_database_authentication_enabled"])} with input as _inventory([r])
}

test_unknown_iam_database_authentication_enabled if {
	r := object.union(_cluster({}), {"unknown": ["iam_database_authentication_enabled"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": iam_database_authentication_enabled is known only after apply", ["iam_database_authentication_enabled"])} with input as _inventory([r])
}

test_null_iam_database_authentication_enabled_is_indeterminate if {
	r := _cluster({"iam_database_authentication_enabled": null})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": iam_database_authentication_enabled is not recorded (null)", ["iam_database_authentication_enabled"])} with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_cluster({"iam_database_authentication_enabled": false}), {"type": "aws_rds_cluster"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
