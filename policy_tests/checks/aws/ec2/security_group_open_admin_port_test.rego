package checks.aws.ec2.security_group_open_admin_port_test

import data.checks.aws.ec2.security_group_open_admin_port as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-002",
	"title": "Security group opens SSH or RDP to the internet",
	"description": "An ingress rule from 0.0.0.0/0 or ::/0 that covers SSH (22) or RDP (3389) exposes remote administration to password spraying, credential stuffing and exploits from anyone on the internet.",
	"severity": "high",
	"resource_types": ["aws_security_group"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Remove the world-open rule; reach instances through SSM Session Manager, a VPN or a bastion, and allow 22/3389 only from those sources.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60010"

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
	"name": "bastion",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_security_group", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_security_group", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_sg(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_group(ingress) := _sg({"group_id": "sg-0a1b2c3d4e5f60010", "vpc_id": "vpc-0123456789abcdef0", "ingress": ingress})

_rule(protocol, from_port, to_port, cidrs, ipv6_cidrs) := {
	"protocol": protocol,
	"from_port": from_port,
	"to_port": to_port,
	"cidr_blocks": cidrs,
	"ipv6_cidr_blocks": ipv6_cidrs,
}

_exposes(ports) := _fail(sprintf("security group \"bastion\" allows the internet to remote administration port(s) %s", [ports]))

test_pass_ssh_from_private_range_only if {
	r := _group([_rule("tcp", 22, 22, ["10.0.0.0/8"], ["fd00::/8"])])
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_https_open_to_world if {
	count(_findings({"ingress": [_rule("tcp", 443, 443, ["0.0.0.0/0"], ["::/0"])]})) == 0
}

test_pass_range_between_admin_ports if {
	count(_findings({"ingress": [_rule("tcp", 23, 3388, ["0.0.0.0/0"], [])]})) == 0
}

test_pass_udp_and_rules_without_cidrs if {
	count(_findings({"ingress": [
		_rule("udp", 22, 22, ["0.0.0.0/0"], []),
		{"protocol": "tcp", "from_port": 22, "to_port": 22},
	]})) == 0
}

test_pass_no_ingress_rules if {
	count(_findings({"ingress": []})) == 0
}

test_fail_ssh_open_to_ipv4_world if {
	findings := _findings({"ingress": [_rule("tcp", 22, 22, ["0.0.0.0/0"], [])]})
	findings == {expect.fail(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60010", "aws_security_group",
		"security group \"bastion\" allows the internet to remote administration port(s) 22",
	)}
}

test_fail_rdp_open_to_ipv6_world if {
	_findings({"ingress": [_rule("6", 3389, 3389, ["10.0.0.0/8"], ["::/0"])]}) == {_exposes("3389")}
}

test_fail_all_traffic if {
	_findings({"ingress": [_rule("-1", -1, -1, ["0.0.0.0/0"], [])]}) == {_exposes("22, 3389")}
	_findings({"ingress": [_rule("ALL", 0, 0, [], ["::/0"])]}) == {_exposes("22, 3389")}
}

test_fail_port_range_boundaries_inclusive if {
	_findings({"ingress": [_rule("tcp", 0, 22, ["0.0.0.0/0"], [])]}) == {_exposes("22")}
	_findings({"ingress": [_rule("tcp", 3389, 65535, ["0.0.0.0/0"], [])]}) == {_exposes("3389")}
	_findings({"ingress": [_rule("tcp", 0, 65535, ["0.0.0.0/0"], [])]}) == {_exposes("22, 3389")}
}

test_missing_ingress if {
	_findings({"group_id": "sg-0a1b2c3d4e5f60010"}) == {_indeterminate(
		"security group \"bastion\": ingress is missing from the inventory",
		["ingress"],
	)}
}

test_unknown_ingress_cidrs if {
	r := object.union(_group([{"protocol": "tcp", "from_port": 22, "to_port": 22}]), {"unknown": ["ingress.0.cidr_blocks"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"security group \"bastion\": ingress is known only after apply",
		["ingress"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"ingress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

# A /0 prefix is the whole address space whatever its base address.
test_fail_zero_prefix_with_non_zero_base if {
	_findings({"ingress": [_rule("tcp", 22, 22, ["1.2.3.4/0"], [])]}) == {_exposes("22")}
	_findings({"ingress": [_rule("tcp", 3389, 3389, [], ["2001:db8::/0"])]}) == {_exposes("3389")}
}

# The two halves of the address space together are the whole internet, in one
# rule or split over two rules that both cover the port.
test_fail_halves_together_cover_the_internet if {
	_findings({"ingress": [_rule("tcp", 22, 22, ["0.0.0.0/1", "128.0.0.0/1"], [])]}) == {_exposes("22")}
	_findings({"ingress": [
		_rule("tcp", 22, 22, ["0.0.0.0/1"], []),
		_rule("tcp", 0, 65535, ["128.0.0.0/1"], []),
	]}) == {_exposes("22")}
	_findings({"ingress": [_rule("tcp", 22, 22, [], ["::/1", "8000::/1"])]}) == {_exposes("22")}
}

# One half alone, or halves of different families, is not the whole internet;
# halves on rules for different ports do not add up either.
test_pass_partial_coverage if {
	count(_findings({"ingress": [_rule("tcp", 22, 22, ["0.0.0.0/1"], ["8000::/1"])]})) == 0
	count(_findings({"ingress": [
		_rule("tcp", 22, 22, ["0.0.0.0/1"], []),
		_rule("tcp", 3389, 3389, ["128.0.0.0/1"], []),
	]})) == 0
}

# A malformed CIDR is skipped, not an error.
test_pass_malformed_cidr_ignored if {
	count(_findings({"ingress": [_rule("tcp", 22, 22, ["not-a-cidr", "10.0.0.0/33"], ["zz::/0x"])]})) == 0
}
