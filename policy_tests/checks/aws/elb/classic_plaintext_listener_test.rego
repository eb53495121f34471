package checks.aws.elb.classic_plaintext_listener_test

import data.checks.aws.elb.classic_plaintext_listener as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ELB-006",
	"title": "Classic load balancer listener without TLS",
	"description": "A classic ELB listener on HTTP or TCP accepts client connections unencrypted, so requests and credentials cross the network in clear.",
	"severity": "high",
	"resource_types": [
		"aws_elb",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(a)",
		],
		"hipaa": [
			"164.312(e)(1)",
			"164.312(e)(2)(ii)",
		],
		"pci_dss": [
			"4.2.1",
		],
		"soc2": [
			"CC6.7",
		],
		"iso27001": [
			"A.8.24",
			"A.8.20",
		],
	},
	"remediation": "Change each listener's lb_protocol to HTTPS or SSL with an ssl_certificate_id, or replace the classic ELB with an application load balancer that redirects HTTP to HTTPS.",
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

test_pass_https_and_ssl if {
	r := _resource("aws_elb", "legacy", {"listener": [{"lb_protocol": "https", "lb_port": 443}, {"lb_protocol": "SSL", "lb_port": 8443}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_http_and_tcp_named if {
	r := _resource("aws_elb", "legacy", {"listener": [{"lb_protocol": "http", "lb_port": 80}, {"lb_protocol": "HTTPS", "lb_port": 443}, {"lb_protocol": "TCP", "lb_port": 5432}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Classic load balancer \"legacy\" has listeners without TLS: HTTP/80, TCP/5432")}
}

test_pass_no_listeners if {
	r := _resource("aws_elb", "legacy", {"listener": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_odd_listener_entries if {
	r := _resource("aws_elb", "legacy", {"listener": [null, {"lb_protocol": null}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_missing_listener if {
	r := _resource("aws_elb", "legacy", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Classic load balancer \"legacy\": listener is missing from the inventory", ["listener"])}
}

test_unknown_listener if {
	r := _resource("aws_elb", "legacy", {"listener": [{"lb_port": 80}]}, ["listener.0.lb_protocol"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Classic load balancer \"legacy\": listener is known only after apply", ["listener"])}
}
