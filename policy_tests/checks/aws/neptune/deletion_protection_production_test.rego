package checks.aws.neptune.deletion_protection_production_test

import data.checks.aws.neptune.deletion_protection_production as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NEP-006",
	"title": "Production Neptune cluster without deletion protection",
	"description": "Without deletion protection one API call or a mistaken Terraform destroy deletes a production graph, and with it its automated backups.",
	"severity": "medium",
	"resource_types": ["aws_neptune_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(c)(1)"],
		"pci_dss": ["6.5.1"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.13", "A.5.33"],
	},
	"remediation": "Set deletion_protection = true on production clusters; turn it off deliberately, in a reviewed change, only when a cluster is to be retired.",
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
	"tags": {"Environment": "Production"},
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_protected_production_cluster if {
	r := _cluster({"deletion_protection": true})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_unprotected_production_cluster if {
	r := _cluster({"deletion_protection": false})
	check.findings == {_finding(r, "fail", "production aws_neptune_cluster \"social-graph\" can be deleted without a safeguard (deletion_protection = false)", [])} with input as _inventory([r])
}

test_missing_deletion_protection if {
	r := _cluster({"engine": "neptune"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": deletion_protection is missing from the inventory", ["deletion_protection"])} with input as _inventory([r])
}

test_unknown_deletion_protection if {
	r := object.union(_cluster({}), {"unknown": ["deletion_protection"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": deletion_protection is known only after apply", ["deletion_protection"])} with input as _inventory([r])
}

test_null_deletion_protection_is_indeterminate if {
	r := _cluster({"deletion_protection": null})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": deletion_protection is not recorded (null)", ["deletion_protection"])} with input as _inventory([r])
}

test_pass_non_production_cluster_out_of_scope if {
	r := object.union(_cluster({"deletion_protection": false}), {"tags": {"Environment": "staging"}})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_pass_untagged_cluster_out_of_scope if {
	r := object.remove(_cluster({"deletion_protection": false}), ["tags"])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_cluster({"deletion_protection": false}), {"type": "aws_rds_cluster"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
