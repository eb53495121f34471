package checks.aws.vpc.nacl_open_admin_port_test

import data.checks.aws.vpc.nacl_open_admin_port as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NET-003",
	"title": "Network ACL lets the internet reach a remote administration port",
	"description": "A network ACL that allows inbound traffic from 0.0.0.0/0 or ::/0 to SSH, RDP or another remote administration port removes the subnet-level guard in front of every instance of its subnets: one permissive security group is then all that stands between the internet and a login prompt.",
	"severity": "medium",
	"resource_types": ["aws_network_acl", "aws_default_network_acl", "aws_network_acl_rule"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Replace the allow rule from 0.0.0.0/0 or ::/0 with rules for the addresses that administer the subnet (a VPN or bastion range), or add a deny rule with a lower rule number for the port; reach instances through SSM Session Manager where possible.",
}

_acl_address := "arn:aws:ec2:eu-west-1:123456789012:network-acl/acl-0a1b2c3d4e5f60001"

_rule_address := "aws_network_acl_rule.ssh_in"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_acl(type, attributes) := {
	"address": _acl_address,
	"type": type,
	"provider": "aws",
	"name": "public-subnets",
	"attributes": attributes,
}

_rule_resource(attributes) := {
	"address": _rule_address,
	"type": "aws_network_acl_rule",
	"provider": "aws",
	"name": "ssh_in",
	"attributes": attributes,
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_in(rule_no, action, protocol, from_port, to_port, cidr, ipv6) := {
	"rule_no": rule_no, "action": action, "protocol": protocol,
	"from_port": from_port, "to_port": to_port,
	"cidr_block": cidr, "ipv6_cidr_block": ipv6,
}

_nacl(ingress) := _acl("aws_network_acl", {"vpc_id": "vpc-0123456789abcdef0", "ingress": ingress})

_acl_fail(ports, rules) := expect.fail(_metadata, _acl_address, "aws_network_acl", sprintf("network ACL \"public-subnets\" allows inbound traffic from the internet to remote administration port(s) %s (rule(s) %s)", [ports, rules]))

_rule_attributes := {
	"network_acl_id": "acl-0a1b2c3d4e5f60001",
	"rule_number": 100,
	"egress": false,
	"protocol": "tcp",
	"rule_action": "allow",
	"cidr_block": "0.0.0.0/0",
	"ipv6_cidr_block": null,
	"from_port": 22,
	"to_port": 22,
}

_rule_fail(ports) := expect.fail(_metadata, _rule_address, "aws_network_acl_rule", sprintf("network ACL rule \"ssh_in\" allows inbound traffic from the internet to remote administration port(s) %s", [ports]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_admin_ports_from_private_range_only if {
	r := _nacl([
		_in(100, "allow", "tcp", 22, 22, "10.0.0.0/8", null),
		_in(110, "allow", "tcp", 443, 443, "0.0.0.0/0", null),
		_in(120, "allow", "tcp", 1024, 3388, "0.0.0.0/0", null),
		_in(130, "allow", "tcp", 3390, 65535, "0.0.0.0/0", null),
	])
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_ssh_open_to_ipv4_internet if {
	_findings(_nacl([_in(100, "allow", "tcp", 22, 22, "0.0.0.0/0", null)])) == {_acl_fail("22", "100")}
}

test_fail_all_traffic_from_ipv6_internet if {
	_findings(_nacl([_in(200, "allow", "-1", 0, 0, null, "::/0")])) == {_acl_fail("22, 3389", "200")}
	_findings(_nacl([_in(200, "ALLOW", "all", 0, 0, null, "::/0")])) == {_acl_fail("22, 3389", "200")}
}

test_fail_default_network_acl if {
	r := _acl("aws_default_network_acl", {"ingress": [_in(100, "allow", "-1", 0, 0, "0.0.0.0/0", null)]})
	_findings(r) == {expect.fail(_metadata, _acl_address, "aws_default_network_acl", "default network ACL \"public-subnets\" allows inbound traffic from the internet to remote administration port(s) 22, 3389 (rule(s) 100)")}
}

# An earlier deny for the same port and family makes the allow harmless.
test_pass_earlier_deny_shadows_allow if {
	count(_findings(_nacl([
		_in(90, "deny", "tcp", 22, 22, "0.0.0.0/0", null),
		_in(91, "deny", "tcp", 3389, 3389, "0.0.0.0/1", null),
		_in(92, "deny", "6", 3000, 4000, "128.0.0.0/1", null),
		_in(100, "allow", "tcp", 0, 65535, "0.0.0.0/0", null),
	]))) == 0
}

# A later deny, a deny for another family or a partial deny does not.
test_fail_deny_after_allow_or_partial if {
	_findings(_nacl([
		_in(100, "allow", "tcp", 22, 22, "0.0.0.0/0", null),
		_in(110, "deny", "tcp", 22, 22, "0.0.0.0/0", null),
	])) == {_acl_fail("22", "100")}
	_findings(_nacl([
		_in(90, "deny", "tcp", 22, 22, null, "::/0"),
		_in(100, "allow", "tcp", 22, 22, "0.0.0.0/0", null),
	])) == {_acl_fail("22", "100")}
	_findings(_nacl([
		_in(90, "deny", "-1", 0, 0, "0.0.0.0/1", null),
		_in(100, "allow", "tcp", 3389, 3389, "0.0.0.0/0", null),
	])) == {_acl_fail("3389", "100")}
}

test_pass_udp_and_port_range_between if {
	count(_findings(_nacl([
		_in(100, "allow", "udp", 0, 65535, "0.0.0.0/0", null),
		_in(110, "allow", "tcp", 23, 3388, "0.0.0.0/0", null),
		_in(120, "deny", "tcp", 22, 22, "0.0.0.0/0", null),
	]))) == 0
}

test_pass_no_ingress_rules if {
	count(_findings(_nacl([]))) == 0
}

# Stateless ACLs need return traffic on ephemeral ports; a range that spans
# an admin port still opens it (CIS 5.1: split the range around the port).
test_fail_ephemeral_range_spanning_rdp if {
	_findings(_nacl([_in(120, "allow", "tcp", 1024, 65535, "0.0.0.0/0", null)])) == {_acl_fail("3389", "120")}
}

test_fail_admin_ports_parameter if {
	r := _nacl([_in(100, "allow", "tcp", 5900, 5900, "0.0.0.0/0", null)])
	findings := check.findings with input as object.union(_inventory([r]), {"parameters": {"network_admin_ports": [5900]}})
	findings == {_acl_fail("5900", "100")}
}

test_missing_ingress if {
	_findings(_acl("aws_network_acl", {"vpc_id": "vpc-0123456789abcdef0"})) == {expect.indeterminate(
		_metadata, _acl_address, "aws_network_acl",
		"network ACL \"public-subnets\": ingress is missing from the inventory", ["ingress"],
	)}
}

test_unknown_ingress if {
	r := object.union(_nacl([_in(100, "allow", "tcp", 22, 22, null, null)]), {"unknown": ["ingress.0.cidr_block"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _acl_address, "aws_network_acl",
		"network ACL \"public-subnets\": ingress is known only after apply", ["ingress"],
	)}
}

test_missing_rule_fields_undecided if {
	_findings(_nacl([
		_in(100, "allow", "tcp", 443, 443, "0.0.0.0/0", null),
		{"rule_no": 110, "action": "allow", "cidr_block": "0.0.0.0/0"},
	])) == {expect.indeterminate(
		_metadata, _acl_address, "aws_network_acl",
		"network ACL \"public-subnets\": ingress.1 cannot be read (protocol, action, rule_no or ports missing or of another type)",
		["ingress.1"],
	)}
}

test_missing_rule_fields_do_not_hide_a_failure if {
	_findings(_nacl([
		_in(100, "allow", "tcp", 22, 22, "0.0.0.0/0", null),
		{"rule_no": 110, "action": "allow"},
	])) == {_acl_fail("22", "100")}
}

# ingress null is not a list of rules: undecided, not passed.
test_missing_ingress_of_another_type if {
	_findings(_nacl(null)) == {expect.indeterminate(
		_metadata, _acl_address, "aws_network_acl",
		"network ACL \"public-subnets\": ingress is not a list of rules", ["ingress"],
	)}
}

test_fail_rule_resource if {
	_findings(_rule_resource(_rule_attributes)) == {_rule_fail("22")}
	_findings(_rule_resource(object.union(_rule_attributes, {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": null, "ipv6_cidr_block": "::/0"}))) == {_rule_fail("22, 3389")}
}

test_pass_rule_resource_harmless if {
	count(_findings(_rule_resource(object.union(_rule_attributes, {"egress": true})))) == 0
	count(_findings(_rule_resource(object.union(_rule_attributes, {"rule_action": "deny"})))) == 0
	count(_findings(_rule_resource(object.union(_rule_attributes, {"cidr_block": "203.0.113.0/24"})))) == 0
	count(_findings(_rule_resource(object.union(_rule_attributes, {"protocol": "udp"})))) == 0
	count(_findings(_rule_resource(object.union(_rule_attributes, {"from_port": 443, "to_port": 443})))) == 0
}

test_unknown_rule_cidr if {
	r := object.union(_rule_resource(object.union(_rule_attributes, {"cidr_block": null})), {"unknown": ["cidr_block"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _rule_address, "aws_network_acl_rule",
		"network ACL rule \"ssh_in\": cidr_block known only after apply", ["cidr_block"],
	)}
}

test_missing_rule_action_and_ports if {
	r := _rule_resource(object.remove(_rule_attributes, ["rule_action", "to_port"]))
	_findings(r) == {expect.indeterminate(
		_metadata, _rule_address, "aws_network_acl_rule",
		"network ACL rule \"ssh_in\": rule_action, to_port missing from the inventory", ["rule_action", "to_port"],
	)}
}

# A known fact that rules the rule out settles it even with others missing.
test_pass_rule_cleared_despite_missing_fields if {
	count(_findings(_rule_resource({"egress": true}))) == 0
	count(_findings(_rule_resource({"rule_action": "deny"}))) == 0
}

test_pass_out_of_scope_types_ignored if {
	other := object.union(_nacl([_in(100, "allow", "-1", 0, 0, "0.0.0.0/0", null)]), {"type": "aws_security_group"})
	count(_findings(other)) == 0
}
