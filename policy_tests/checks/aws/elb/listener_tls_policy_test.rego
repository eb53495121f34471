package checks.aws.elb.listener_tls_policy_test

import data.checks.aws.elb.listener_tls_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ELB-002",
	"title": "Load balancer listener TLS policy allows versions below TLS 1.2",
	"description": "An HTTPS or TLS listener whose security policy still negotiates TLS 1.0 or 1.1 lets clients use deprecated protocols with known weaknesses.",
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
			"164.312(e)(2)(ii)",
		],
		"pci_dss": [
			"4.2.1",
			"12.3.3",
		],
		"soc2": [
			"CC6.7",
		],
		"iso27001": [
			"A.8.24",
			"A.8.21",
		],
	},
	"remediation": "Set ssl_policy to a TLS 1.2 or TLS 1.3 policy such as ELBSecurityPolicy-TLS13-1-2-2021-06; the accepted names are the parameter elb_accepted_ssl_policies.",
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

test_pass_tls13_policy if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_http_listener_out_of_scope if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTP", "ssl_policy": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_2016_policy if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer listener \"web\" (HTTPS) uses TLS policy ELBSecurityPolicy-2016-08, which is not one of the accepted TLS 1.2+ policies")}
}

test_fail_tls_listener_policy_not_in_parameter if {
	r := _resource("aws_alb_listener", "web", {"protocol": "TLS", "ssl_policy": "ELBSecurityPolicy-TLS-1-2-2017-01"}, [])
	inv := _inventory([r], {"elb_accepted_ssl_policies": ["ELBSecurityPolicy-TLS13-1-3-2021-06"]})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer listener \"web\" (TLS) uses TLS policy ELBSecurityPolicy-TLS-1-2-2017-01, which is not one of the accepted TLS 1.2+ policies")}
}

test_missing_ssl_policy if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTPS"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer listener \"web\": ssl_policy is missing from the inventory", ["ssl_policy"])}
}

test_unknown_protocol if {
	r := _resource("aws_lb_listener", "web", {"ssl_policy": "ELBSecurityPolicy-2016-08"}, ["protocol"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer listener \"web\": protocol is known only after apply", ["protocol"])}
}

test_unknown_ssl_policy if {
	r := _resource("aws_lb_listener", "web", {"protocol": "HTTPS"}, ["ssl_policy"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer listener \"web\": ssl_policy is known only after apply", ["ssl_policy"])}
}
