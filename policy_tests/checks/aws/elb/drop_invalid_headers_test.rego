package checks.aws.elb.drop_invalid_headers_test

import data.checks.aws.elb.drop_invalid_headers as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ELB-003",
	"title": "Application load balancer passes invalid HTTP header fields",
	"description": "An ALB that forwards header fields with invalid names lets malformed requests reach the targets, a path for request smuggling and header injection.",
	"severity": "medium",
	"resource_types": [
		"aws_lb",
		"aws_alb",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(c)(1)",
		],
		"pci_dss": [
			"6.2.4",
			"2.2.6",
		],
		"soc2": [
			"CC6.6",
		],
		"iso27001": [
			"A.8.20",
			"A.8.9",
		],
	},
	"remediation": "Set drop_invalid_header_fields = true on the application load balancer.",
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

test_pass_dropped if {
	r := _resource("aws_lb", "public", {"load_balancer_type": "application", "drop_invalid_header_fields": true}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_network_out_of_scope if {
	r := _resource("aws_lb", "public", {"load_balancer_type": "network", "drop_invalid_header_fields": false}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_not_dropped if {
	r := _resource("aws_lb", "public", {"load_balancer_type": "application", "drop_invalid_header_fields": false}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Application load balancer \"public\" forwards invalid HTTP header fields (drop_invalid_header_fields not true)")}
}

test_fail_alb_alias_default_type if {
	r := _resource("aws_alb", "public", {"load_balancer_type": null, "drop_invalid_header_fields": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Application load balancer \"public\" forwards invalid HTTP header fields (drop_invalid_header_fields not true)")}
}

test_missing_flag if {
	r := _resource("aws_lb", "public", {"load_balancer_type": "application"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Application load balancer \"public\": drop_invalid_header_fields is missing from the inventory", ["drop_invalid_header_fields"])}
}

test_unknown_flag if {
	r := _resource("aws_lb", "public", {}, ["drop_invalid_header_fields"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Application load balancer \"public\": drop_invalid_header_fields is known only after apply", ["drop_invalid_header_fields"])}
}
