package checks.aws.elb.access_logs_test

import data.checks.aws.elb.access_logs as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ELB-004",
	"title": "Load balancer access logs not enabled",
	"description": "Without access logs there is no record of who sent which request through the load balancer, so attacks and data access cannot be traced.",
	"severity": "medium",
	"resource_types": [
		"aws_lb",
		"aws_alb",
		"aws_elb",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(b)",
		],
		"pci_dss": [
			"10.2.1",
		],
		"soc2": [
			"CC7.2",
		],
		"iso27001": [
			"A.8.15",
		],
	},
	"remediation": "Add an access_logs block with enabled = true and bucket set to an S3 bucket whose policy lets the Elastic Load Balancing service write to it.",
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

test_pass_enabled if {
	r := _resource("aws_lb", "public", {"access_logs": {"bucket": "acme-lb-logs", "enabled": true}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_classic_enabled_by_default if {
	r := _resource("aws_elb", "public", {"access_logs": {"bucket": "acme-lb-logs", "enabled": null}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_no_block if {
	r := _resource("aws_lb", "public", {"access_logs": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer \"public\" does not write access logs")}
}

test_fail_disabled if {
	r := _resource("aws_lb", "public", {"access_logs": {"bucket": "acme-lb-logs", "enabled": false}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer \"public\" does not write access logs")}
}

test_fail_lb_enabled_unset_defaults_off if {
	r := _resource("aws_lb", "public", {"access_logs": {"bucket": "acme-lb-logs"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer \"public\" does not write access logs")}
}

test_fail_classic_without_bucket if {
	r := _resource("aws_elb", "public", {"access_logs": {"bucket": "", "enabled": true}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer \"public\" does not write access logs")}
}

test_missing_access_logs if {
	r := _resource("aws_lb", "public", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer \"public\": access_logs is missing from the inventory", ["access_logs"])}
}

test_unknown_bucket if {
	r := _resource("aws_lb", "public", {"access_logs": {"enabled": true}}, ["access_logs.bucket"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer \"public\": access_logs is known only after apply", ["access_logs"])}
}
