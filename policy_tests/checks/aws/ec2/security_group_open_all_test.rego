package checks.aws.ec2.security_group_open_all_test

import data.checks.aws.ec2.security_group_open_all as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-004",
	"title": "Security group admits all traffic from the internet",
	"description": "An ingress rule for every protocol, or for every TCP or UDP port, from 0.0.0.0/0 or ::/0 exposes each service listening on the group's instances, including ones nobody meant to publish (debug ports, admin consoles, databases), to the whole internet.",
	"severity": "critical",
	"resource_types": ["aws_security_group"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Replace the rule with rules for the ports the service publishes (443 behind a load balancer, for instance), and reach anything else through a VPN, SSM Session Manager or other security groups as sources.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60020"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_sg(attributes) := {
	"address": _address,
	"type": "aws_security_group",
	"provider": "aws",
	"name": "legacy-app",
	"attributes": attributes,
}

_group(ingress) := _sg({"group_id": "sg-0a1b2c3d4e5f60020", "ingress": ingress})

_rule(protocol, from_port, to_port, cidrs, ipv6) := {"protocol": protocol, "from_port": from_port, "to_port": to_port, "cidr_blocks": cidrs, "ipv6_cidr_blocks": ipv6}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(rules) := expect.fail(_metadata, _address, "aws_security_group", sprintf("security group \"legacy-app\" allows all traffic from the internet (%s)", [rules]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_web_ports_only if {
	r := _group([
		_rule("tcp", 443, 443, ["0.0.0.0/0"], ["::/0"]),
		_rule("-1", 0, 0, ["10.0.0.0/8"], []),
		{"protocol": "-1", "from_port": 0, "to_port": 0, "self": true},
	])
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_all_protocols_from_world if {
	_findings(_group([_rule("-1", 0, 0, ["0.0.0.0/0"], [])])) == {_fail("ingress.0: protocol -1, ports 0-0")}
	_findings(_group([_rule("tcp", 443, 443, ["0.0.0.0/0"], []), _rule("ALL", -1, -1, [], ["::/0"])])) == {_fail("ingress.1: protocol ALL, ports -1--1")}
}

test_fail_every_tcp_or_udp_port if {
	_findings(_group([_rule("tcp", 0, 65535, ["0.0.0.0/1", "128.0.0.0/1"], [])])) == {_fail("ingress.0: protocol tcp, ports 0-65535")}
	_findings(_group([_rule("17", 0, 65535, ["1.2.3.4/0"], [])])) == {_fail("ingress.0: protocol 17, ports 0-65535")}
}

test_pass_wide_but_not_every_port if {
	count(_findings(_group([_rule("tcp", 1, 65535, ["0.0.0.0/0"], [])]))) == 0
	count(_findings(_group([_rule("icmp", -1, -1, ["0.0.0.0/0"], [])]))) == 0
	count(_findings(_group([_rule("-1", 0, 0, ["0.0.0.0/1"], ["8000::/1"])]))) == 0
}

test_missing_ingress if {
	_findings(_sg({"group_id": "sg-0a1b2c3d4e5f60020"})) == {expect.indeterminate(
		_metadata, _address, "aws_security_group",
		"security group \"legacy-app\": ingress is missing from the inventory", ["ingress"],
	)}
	_findings(_group(null)) == {expect.indeterminate(
		_metadata, _address, "aws_security_group",
		"security group \"legacy-app\": ingress is not a list of rules", ["ingress"],
	)}
}

test_unknown_ingress if {
	r := object.union(_group([{"protocol": "-1", "from_port": 0, "to_port": 0}]), {"unknown": ["ingress.0.cidr_blocks"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_security_group",
		"security group \"legacy-app\": ingress is known only after apply", ["ingress"],
	)}
}
