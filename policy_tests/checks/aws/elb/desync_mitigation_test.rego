package checks.aws.elb.desync_mitigation_test

import data.checks.aws.elb.desync_mitigation as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ELB-007",
	"title": "Application load balancer desync mitigation in monitor mode",
	"description": "In monitor mode an ALB forwards requests it classifies as ambiguous or severe HTTP desync risks, leaving the targets open to request smuggling.",
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
			"164.312(c)(1)",
		],
		"pci_dss": [
			"6.2.4",
		],
		"soc2": [
			"CC6.6",
		],
		"iso27001": [
			"A.8.20",
			"A.8.9",
		],
	},
	"remediation": "Set desync_mitigation_mode to \"defensive\" (the default) or \"strictest\".",
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

test_pass_defensive if {
	r := _resource("aws_lb", "public", {"desync_mitigation_mode": "defensive"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_unset_is_defensive if {
	r := _resource("aws_lb", "public", {"desync_mitigation_mode": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_gateway_out_of_scope if {
	r := _resource("aws_lb", "public", {"load_balancer_type": "gateway", "desync_mitigation_mode": "monitor"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_monitor if {
	r := _resource("aws_lb", "public", {"desync_mitigation_mode": "monitor"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Application load balancer \"public\" forwards requests with HTTP desync risks (desync_mitigation_mode = monitor)")}
}

test_missing_mode if {
	r := _resource("aws_lb", "public", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Application load balancer \"public\": desync_mitigation_mode is missing from the inventory", ["desync_mitigation_mode"])}
}

test_unknown_mode if {
	r := _resource("aws_lb", "public", {}, ["desync_mitigation_mode"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Application load balancer \"public\": desync_mitigation_mode is known only after apply", ["desync_mitigation_mode"])}
}
