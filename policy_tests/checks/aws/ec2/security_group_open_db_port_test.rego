package checks.aws.ec2.security_group_open_db_port_test

import data.checks.aws.ec2.security_group_open_db_port as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-001",
	"title": "Security group opens a database port to the internet",
	"description": "An ingress rule from 0.0.0.0/0 or ::/0 that covers a database port lets anyone on the internet try to connect to the database.",
	"severity": "critical",
	"resource_types": ["aws_security_group"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.4"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Restrict the ingress rule to the application's security group or to private CIDR ranges; reach databases through a VPN or bastion.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60001"

_all_db_ports := "1433, 1521, 3306, 5432, 5439, 6379, 9042, 9200, 27017"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_group(ingress) := {
	"address": _address,
	"type": "aws_security_group",
	"provider": "aws",
	"name": "orders-db",
	"attributes": {"group_id": "sg-0a1b2c3d4e5f60001", "vpc_id": "vpc-0123456789abcdef0", "ingress": ingress},
}

_rule(protocol, from_port, to_port, cidrs, ipv6_cidrs) := {
	"protocol": protocol,
	"from_port": from_port,
	"to_port": to_port,
	"cidr_blocks": cidrs,
	"ipv6_cidr_blocks": ipv6_cidrs,
}

_fail(ports) := expect.fail(
	_metadata, _address, "aws_security_group",
	sprintf("security group \"orders-db\" allows the internet to database port(s) %s", [ports]),
)

_findings(ingress) := findings if {
	findings := check.findings with input as _inventory([_group(ingress)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_db_port_open_to_private_cidr_only if {
	r := _group([_rule("tcp", 5432, 5432, ["10.20.0.0/16"], [])])
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_non_db_port_open_to_world if {
	r := _group([_rule("tcp", 443, 443, ["0.0.0.0/0"], ["::/0"])])
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	r in check.resources with input as _inventory([r])
}

test_pass_no_ingress_rules if {
	count(_findings([])) == 0
}

# Ports are matched per rule: a world-open rule without DB ports and a DB port
# rule limited to a private range do not add up to an exposure.
test_pass_world_rule_and_private_db_rule_kept_apart if {
	count(_findings([
		_rule("tcp", 443, 443, ["0.0.0.0/0"], []),
		_rule("tcp", 5432, 5432, ["10.0.0.0/8"], ["fd00::/8"]),
	])) == 0
}

test_pass_udp_rule_on_db_port if {
	count(_findings([_rule("udp", 5432, 5432, ["0.0.0.0/0"], [])])) == 0
}

test_pass_range_between_db_ports if {
	count(_findings([_rule("tcp", 5433, 5438, ["0.0.0.0/0"], [])])) == 0
}

test_pass_rule_without_cidr_lists if {
	count(_findings([{"protocol": "tcp", "from_port": 5432, "to_port": 5432}])) == 0
}

test_fail_postgres_port_open_to_ipv4_world if {
	findings := _findings([
		_rule("tcp", 5432, 5432, ["0.0.0.0/0"], []),
		_rule("tcp", 22, 22, ["10.0.0.0/8"], []),
	])
	findings == {expect.fail(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60001", "aws_security_group",
		"security group \"orders-db\" allows the internet to database port(s) 5432",
	)}
}

test_fail_mysql_port_open_to_ipv6_world if {
	findings := _findings([_rule("tcp", 3306, 3306, ["10.0.0.0/8"], ["::/0"])])
	findings == {expect.fail(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60001", "aws_security_group",
		"security group \"orders-db\" allows the internet to database port(s) 3306",
	)}
}

test_fail_ipv6_world_without_ipv4_list if {
	_findings([{"protocol": "tcp", "from_port": 6379, "to_port": 6379, "ipv6_cidr_blocks": ["::/0"]}]) == {_fail("6379")}
}

test_fail_all_traffic_protocol_minus_one if {
	findings := _findings([_rule("-1", 0, 0, ["0.0.0.0/0"], [])])
	findings == {expect.fail(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60001", "aws_security_group",
		"security group \"orders-db\" allows the internet to database port(s) 1433, 1521, 3306, 5432, 5439, 6379, 9042, 9200, 27017",
	)}
}

# The AWS API reports all traffic as protocol -1 with ports -1.
test_fail_all_traffic_with_minus_one_ports if {
	_findings([_rule("-1", -1, -1, [], ["::/0"])]) == {_fail(_all_db_ports)}
}

test_fail_all_traffic_protocol_all if {
	_findings([_rule("all", 0, 0, ["0.0.0.0/0"], [])]) == {_fail(_all_db_ports)}
}

test_fail_full_tcp_port_range if {
	_findings([_rule("tcp", 0, 65535, ["0.0.0.0/0"], [])]) == {_fail(_all_db_ports)}
}

# Ports are listed sorted as numbers (5439 before 27017), not as text.
test_fail_port_range_lists_covered_ports_sorted if {
	_findings([_rule("tcp", 3000, 6000, ["0.0.0.0/0"], [])]) == {_fail("3306, 5432, 5439")}
}

test_fail_ports_from_several_rules_merged_and_sorted if {
	findings := _findings([
		_rule("tcp", 27017, 27017, ["0.0.0.0/0"], []),
		_rule("tcp", 5432, 5432, [], ["::/0"]),
		_rule("tcp", 9200, 9200, ["10.0.0.0/8"], []),
		_rule("tcp", 5432, 5439, ["0.0.0.0/0"], []),
	])
	findings == {_fail("5432, 5439, 27017")}
}

test_fail_range_boundaries_are_inclusive if {
	_findings([_rule("tcp", 1521, 1521, ["0.0.0.0/0"], [])]) == {_fail("1521")}
	_findings([_rule("tcp", 9042, 9200, ["0.0.0.0/0"], [])]) == {_fail("9042, 9200")}
}

test_fail_protocol_number_and_upper_case_tcp if {
	_findings([_rule("6", 1433, 1433, ["0.0.0.0/0"], [])]) == {_fail("1433")}
	_findings([_rule("TCP", 1433, 1433, ["0.0.0.0/0"], [])]) == {_fail("1433")}
}

test_fail_world_cidr_among_private_ones if {
	_findings([_rule("tcp", 5432, 5432, ["10.0.0.0/8", "0.0.0.0/0"], [])]) == {_fail("5432")}
}

test_missing_ingress if {
	r := {
		"address": _address,
		"type": "aws_security_group",
		"provider": "aws",
		"name": "orders-db",
		"attributes": {"group_id": "sg-0a1b2c3d4e5f60001"},
	}
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60001", "aws_security_group",
		"security group \"orders-db\": ingress is missing from the inventory", ["ingress"],
	)}
}

test_unknown_ingress if {
	r := {
		"address": _address,
		"type": "aws_security_group",
		"provider": "aws",
		"name": "orders-db",
		"attributes": {"group_id": "sg-0a1b2c3d4e5f60001"},
		"unknown": ["ingress"],
	}
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60001", "aws_security_group",
		"security group \"orders-db\": ingress is known only after apply", ["ingress"],
	)}
}

# A path listed in unknown wins over a placeholder value: no fail on top of it.
test_unknown_ingress_with_placeholder_value_is_only_indeterminate if {
	r := object.union(_group([_rule("tcp", 5432, 5432, ["0.0.0.0/0"], [])]), {"unknown": ["ingress"]})
	findings := check.findings with input as _inventory([r])
	[f.status | some f in findings] == ["indeterminate"]
}

test_pass_out_of_scope_types_ignored if {
	instance := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"ingress": [_rule("-1", 0, 0, ["0.0.0.0/0"], [])]},
	}
	findings := check.findings with input as _inventory([instance])
	count(findings) == 0
	resources := check.resources with input as _inventory([instance])
	count(resources) == 0
}

# One rule's CIDRs known only after apply: the group cannot pass.
test_unknown_cidrs_inside_one_ingress_rule if {
	r := object.union(
		_group([{"protocol": "tcp", "from_port": 5432, "to_port": 5432}]),
		{"unknown": ["ingress.0.cidr_blocks"]},
	)
	findings := check.findings with input as _inventory([r])
	[f.status | some f in findings] == ["indeterminate"]
	[f.paths | some f in findings] == [["ingress"]]
}

test_fail_all_traffic_protocol_in_capitals if {
	_findings([_rule("ALL", 0, 0, ["0.0.0.0/0"], [])]) == {_fail(_all_db_ports)}
}

# A /0 prefix is the whole address space whatever its base address.
test_fail_zero_prefix_with_non_zero_base if {
	_findings([_rule("tcp", 5432, 5432, ["1.2.3.4/0"], [])]) == {_fail("5432")}
	_findings([_rule("tcp", 3306, 3306, [], ["2001:db8::/0"])]) == {_fail("3306")}
}

# The two halves of the address space together are the whole internet, in one
# rule or split over two rules that both cover the port.
test_fail_halves_together_cover_the_internet if {
	_findings([_rule("tcp", 5432, 5432, ["0.0.0.0/1", "128.0.0.0/1"], [])]) == {_fail("5432")}
	_findings([
		_rule("tcp", 5432, 5432, ["0.0.0.0/1"], []),
		_rule("tcp", 5000, 6000, ["128.0.0.0/1"], []),
	]) == {_fail("5432")}
	_findings([_rule("tcp", 6379, 6379, [], ["::/1", "8000::/1"])]) == {_fail("6379")}
}

# One half alone, or halves of different families, is not the whole internet;
# halves on rules for different ports do not add up either.
test_pass_partial_coverage if {
	count(_findings([_rule("tcp", 5432, 5432, ["0.0.0.0/1"], ["8000::/1"])])) == 0
	count(_findings([
		_rule("tcp", 5432, 5432, ["0.0.0.0/1"], []),
		_rule("tcp", 3306, 3306, ["128.0.0.0/1"], []),
	])) == 0
}

# A malformed CIDR is skipped, not an error.
test_pass_malformed_cidr_ignored if {
	count(_findings([_rule("tcp", 5432, 5432, ["not-a-cidr", "10.0.0.0/33"], ["zz::/0x"])])) == 0
}
