package checks.aws.elb.deletion_protection_production_test

import data.checks.aws.elb.deletion_protection_production as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ELB-005",
	"title": "Production load balancer without deletion protection",
	"description": "A production load balancer that can be deleted by one API call or a mistaken Terraform change takes every service behind it offline.",
	"severity": "low",
	"resource_types": [
		"aws_lb",
		"aws_alb",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.308(a)(7)(ii)(C)",
		],
		"pci_dss": [
			"6.5.1",
		],
		"soc2": [
			"A1.2",
		],
		"iso27001": [
			"A.8.14",
			"A.8.9",
		],
	},
	"remediation": "Set enable_deletion_protection = true on load balancers tagged as production (the parameters environment_tag_keys and production_environments say which).",
}

_inventory(resources, parameters) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "terraform_plan", "scope": "plan.json", "status": "complete"}],
	"parameters": parameters,
	"resources": resources,
}

_resource(type, name, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": object.get(attributes, "tags", {}),
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_protected if {
	r := _resource("aws_lb", "public", {"tags": {"Environment": "production"}, "enable_deletion_protection": true}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_not_production_out_of_scope if {
	r := _resource("aws_lb", "public", {"tags": {"Environment": "staging"}, "enable_deletion_protection": false}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_unprotected if {
	r := _resource("aws_lb", "public", {"tags": {"Environment": "production"}, "enable_deletion_protection": false}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Production load balancer \"public\" can be deleted (enable_deletion_protection not true)")}
}

test_missing_flag if {
	r := _resource("aws_lb", "public", {"tags": {"Environment": "production"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Production load balancer \"public\": enable_deletion_protection is missing from the inventory", ["enable_deletion_protection"])}
}

test_unknown_flag if {
	r := _resource("aws_alb", "public", {"tags": {"env": "prd"}}, ["enable_deletion_protection"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Production load balancer \"public\": enable_deletion_protection is known only after apply", ["enable_deletion_protection"])}
}
