package checks.aws.vpc.nacl_open_db_port_test

import data.checks.aws.vpc.nacl_open_db_port as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NET-004",
	"title": "Network ACL lets the internet reach a database port",
	"description": "A network ACL that allows inbound traffic from 0.0.0.0/0 or ::/0 to a database or cache port (MySQL, PostgreSQL, SQL Server, Oracle, Redis, MongoDB ...) leaves the data tier one security group away from the whole internet, its scanners and its credential-guessing bots.",
	"severity": "high",
	"resource_types": ["aws_network_acl", "aws_default_network_acl", "aws_network_acl_rule"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Allow database ports only from the application subnets' ranges, or add a deny rule with a lower rule number for them; keep databases in private subnets whose ACLs do not admit the internet at all.",
}

_acl_address := "arn:aws:ec2:eu-west-1:123456789012:network-acl/acl-0a1b2c3d4e5f60002"

_rule_address := "aws_network_acl_rule.postgres_in"

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
	"name": "data-subnets",
	"attributes": attributes,
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_with_ports(resource, ports) := findings if {
	findings := check.findings with input as object.union(_inventory([resource]), {"parameters": {"network_database_ports": ports}})
}

_in(rule_no, action, protocol, from_port, to_port, cidr, ipv6) := {
	"rule_no": rule_no, "action": action, "protocol": protocol,
	"from_port": from_port, "to_port": to_port,
	"cidr_block": cidr, "ipv6_cidr_block": ipv6,
}

_nacl(ingress) := _acl("aws_network_acl", {"vpc_id": "vpc-0123456789abcdef0", "ingress": ingress})

_acl_fail(ports, rules) := expect.fail(_metadata, _acl_address, "aws_network_acl", sprintf("network ACL \"data-subnets\" allows inbound traffic from the internet to database port(s) %s (rule(s) %s)", [ports, rules]))

_rule(attributes) := {
	"address": _rule_address,
	"type": "aws_network_acl_rule",
	"provider": "aws",
	"name": "postgres_in",
	"attributes": object.union(
		{
			"network_acl_id": "acl-0a1b2c3d4e5f60002", "rule_number": 100, "egress": false,
			"protocol": "6", "rule_action": "allow", "cidr_block": null,
			"ipv6_cidr_block": "::/0", "from_port": 5432, "to_port": 5432,
		},
		attributes,
	),
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_database_ports_from_vpc_only if {
	r := _nacl([
		_in(100, "allow", "tcp", 5432, 5432, "10.20.0.0/16", null),
		_in(110, "allow", "tcp", 443, 443, "0.0.0.0/0", "::/0"),
	])
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_postgres_and_mysql_open if {
	_findings(_nacl([
		_in(100, "allow", "tcp", 5432, 5432, "0.0.0.0/0", null),
		_in(110, "allow", "tcp", 3306, 3306, null, "::/0"),
	])) == {_acl_fail("3306, 5432", "100, 110")}
}

test_fail_range_with_parameter if {
	_with_ports(_nacl([_in(100, "allow", "-1", 0, 0, "0.0.0.0/0", null)]), [5432, 6379]) == {_acl_fail("5432, 6379", "100")}
	count(_with_ports(_nacl([_in(100, "allow", "tcp", 3306, 3306, "0.0.0.0/0", null)]), [5432])) == 0
}

test_pass_earlier_deny if {
	count(_with_ports(
		_nacl([
			_in(50, "deny", "tcp", 5432, 5432, "0.0.0.0/0", null),
			_in(60, "deny", "-1", 0, 0, null, "::/0"),
			_in(100, "allow", "-1", 0, 0, "0.0.0.0/0", "::/0"),
		]),
		[5432],
	)) == 0
}

test_fail_default_acl_with_default_allow_all if {
	r := _acl("aws_default_network_acl", {"ingress": [_in(100, "allow", "-1", 0, 0, "0.0.0.0/0", null)]})
	_with_ports(r, [5432]) == {expect.fail(_metadata, _acl_address, "aws_default_network_acl", "default network ACL \"data-subnets\" allows inbound traffic from the internet to database port(s) 5432 (rule(s) 100)")}
}

test_missing_ingress if {
	_findings(_acl("aws_default_network_acl", {})) == {expect.indeterminate(
		_metadata, _acl_address, "aws_default_network_acl",
		"default network ACL \"data-subnets\": ingress is missing from the inventory", ["ingress"],
	)}
}

test_unknown_ingress if {
	r := object.union(_nacl([]), {"unknown": ["ingress"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _acl_address, "aws_network_acl",
		"network ACL \"data-subnets\": ingress is known only after apply", ["ingress"],
	)}
}

test_fail_rule_resource if {
	_findings(_rule({})) == {expect.fail(_metadata, _rule_address, "aws_network_acl_rule", "network ACL rule \"postgres_in\" allows inbound traffic from the internet to database port(s) 5432")}
}

test_pass_rule_resource_egress_or_private if {
	count(_findings(_rule({"egress": true}))) == 0
	count(_findings(_rule({"ipv6_cidr_block": "2001:db8::/32"}))) == 0
	count(_findings(_rule({"from_port": 8080, "to_port": 8080}))) == 0
}

test_missing_rule_egress if {
	r := _rule({})
	_findings(json.patch(r, [{"op": "remove", "path": "/attributes/egress"}])) == {expect.indeterminate(
		_metadata, _rule_address, "aws_network_acl_rule",
		"network ACL rule \"postgres_in\": egress missing from the inventory", ["egress"],
	)}
}

test_unknown_rule_ports if {
	r := object.union(_rule({"from_port": null, "to_port": null}), {"unknown": ["from_port", "to_port"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _rule_address, "aws_network_acl_rule",
		"network ACL rule \"postgres_in\": from_port, to_port known only after apply", ["from_port", "to_port"],
	)}
}
