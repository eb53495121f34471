package checks.aws.ec2.default_security_group_traffic_test

import data.checks.aws.ec2.default_security_group_traffic as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-003",
	"title": "Default security group allows traffic",
	"description": "Resources launched without a security group land in the VPC's default group; if it has rules, they silently get network access nobody reviewed. The default group should have no ingress and no egress rules. Evaluated: aws_default_security_group, and aws_security_group whose name is \"default\".",
	"severity": "medium",
	"resource_types": ["aws_security_group", "aws_default_security_group"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(e)(1)"],
		"pci_dss": ["1.2.1", "1.3.1", "1.3.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22", "A.8.9"],
	},
	"remediation": "Manage the group with an aws_default_security_group that declares no ingress and no egress blocks, and give every resource a purpose-built security group.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60099"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_default_group(attributes) := {
	"address": _address,
	"type": "aws_default_security_group",
	"provider": "aws",
	"name": "main-vpc-default",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_default_security_group", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_default_security_group", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_default_group(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_all_traffic := {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}

_self_rule := {"protocol": "-1", "from_port": 0, "to_port": 0, "self": true}

_named_group(name, attributes) := {
	"address": _address,
	"type": "aws_security_group",
	"provider": "aws",
	"name": "main-vpc-default",
	"attributes": object.union(attributes, {"name": name}),
}

test_pass_default_group_without_rules if {
	r := _default_group({"group_id": "sg-0a1b2c3d4e5f60099", "ingress": [], "egress": []})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

# AWS creates the default group with an ingress rule from itself and egress to anywhere.
test_fail_default_group_as_created_by_aws if {
	findings := _findings({"group_id": "sg-0a1b2c3d4e5f60099", "ingress": [_self_rule], "egress": [_all_traffic]})
	findings == {expect.fail(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60099",
		"aws_default_security_group",
		"default security group \"main-vpc-default\" allows traffic: 1 ingress rule(s), 1 egress rule(s)",
	)}
}

test_fail_security_group_named_default if {
	r := _named_group("default", {"ingress": [], "egress": [_all_traffic, _all_traffic]})
	findings := check.findings with input as _inventory([r])
	findings == {object.union(
		_fail("default security group \"main-vpc-default\" allows traffic: 2 egress rule(s)"),
		{"resource_type": "aws_security_group"},
	)}
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_other_security_groups_not_evaluated if {
	named := _named_group("web", {"ingress": [_all_traffic], "egress": [_all_traffic]})
	unnamed := object.union(named, {"attributes": {"name": null}})
	nameless := {
		"address": "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f60098",
		"type": "aws_security_group",
		"provider": "aws",
		"name": "default",
		"attributes": {"ingress": [_all_traffic]},
	}
	findings := check.findings with input as _inventory([named, unnamed, nameless])
	count(findings) == 0
	resources := check.resources with input as _inventory([named, unnamed, nameless])
	count(resources) == 0
}

test_missing_egress if {
	_findings({"group_id": "sg-0a1b2c3d4e5f60099", "ingress": []}) == {_indeterminate(
		"default security group \"main-vpc-default\": egress is missing from the inventory",
		["egress"],
	)}
}

test_missing_both_directions if {
	_findings({"group_id": "sg-0a1b2c3d4e5f60099"}) == {_indeterminate(
		"default security group \"main-vpc-default\": ingress is missing from the inventory, egress is missing from the inventory",
		["ingress", "egress"],
	)}
}

test_unknown_ingress if {
	r := object.union(_default_group({"ingress": [], "egress": []}), {"unknown": ["ingress"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"default security group \"main-vpc-default\": ingress is known only after apply",
		["ingress"],
	)}
}

# Rules already known fail the group even when the other direction is unknown.
test_fail_known_ingress_despite_unknown_egress if {
	r := object.union(_default_group({"ingress": [_self_rule]}), {"unknown": ["egress"]})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("default security group \"main-vpc-default\" allows traffic: 1 ingress rule(s)")}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"name": "default", "ingress": [{"protocol": "-1", "from_port": 0, "to_port": 0}]},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
