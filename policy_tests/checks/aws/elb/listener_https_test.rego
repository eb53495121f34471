package checks.aws.elb.listener_https_test

import data.checks.aws.elb.listener_https as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ELB-001",
	"title": "Load balancer listener serves plain HTTP",
	"description": "An HTTP listener that forwards instead of redirecting to HTTPS carries requests, cookies and credentials across the network unencrypted.",
	"severity": "high",
	"resource_types": [
		"aws_lb_listener",
		"aws_alb_listener",
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
	"remediation": "Serve the listener as HTTPS with a certificate, or make its default action a redirect with protocol = \"HTTPS\" and status_code = \"HTTP_301\".",
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

test_pass_https if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTPS", "port": 443, "default_action": [{"type": "forward", "redirect": null}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_http_redirects_to_https if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTP", "port": 80, "default_action": [{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_http_without_actions if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTP", "port": 80, "default_action": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer listener \"web\" serves plain HTTP on port 80 without redirecting to HTTPS")}
}

test_fail_http_with_odd_action if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTP", "port": 80, "default_action": [null, {"type": "redirect", "redirect": null}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer listener \"web\" serves plain HTTP on port 80 without redirecting to HTTPS")}
}

test_fail_http_forward if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTP", "port": 80, "default_action": [{"type": "forward", "redirect": null}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer listener \"web\" serves plain HTTP on port 80 without redirecting to HTTPS")}
}

test_fail_alb_alias_redirect_to_http if {
	r := _resource("aws_alb_listener", "web", {"protocol": "HTTP", "port": 8080, "default_action": [{"type": "redirect", "redirect": {"protocol": "HTTP"}}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer listener \"web\" serves plain HTTP on port 8080 without redirecting to HTTPS")}
}

test_missing_protocol if {
	r := _resource("aws_lb_listener", "web", {"default_action": [{"type": "forward", "redirect": null}]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer listener \"web\": protocol is missing from the inventory", ["protocol"])}
}

test_unknown_default_action if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTP", "port": 80}, ["default_action"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer listener \"web\" serves HTTP; default_action is known only after apply", ["default_action"])}
}
