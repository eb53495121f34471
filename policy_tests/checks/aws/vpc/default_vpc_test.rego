package checks.aws.vpc.default_vpc_test

import data.checks.aws.vpc.default_vpc as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NET-005",
	"title": "Default VPC kept in the region",
	"description": "The default VPC puts public subnets with an internet gateway and auto-assigned public IPs in every availability zone, so anything launched without an explicit network (by a console wizard, a test or an attacker with launch rights) lands on the internet. An unused default VPC is still a finding: it waits for the next launch.",
	"severity": "low",
	"resource_types": ["aws_default_vpc", "aws_vpc"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(e)(1)"],
		"pci_dss": ["1.2.1", "2.2.1"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.9"],
	},
	"remediation": "Move anything left in the default VPC to a VPC built for it, then delete the default VPC in every region (aws ec2 delete-vpc after removing its subnets and internet gateway); in Terraform, stop managing it with aws_default_vpc and delete it, or set force_destroy = true and destroy the resource.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0default000000001"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_vpc(type, attributes) := {
	"address": _address,
	"type": type,
	"provider": "aws",
	"region": "eu-west-1",
	"name": "vpc-0default000000001",
	"attributes": attributes,
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_non_default_vpc if {
	r := _vpc("aws_vpc", {"cidr_block": "10.20.0.0/16", "is_default": false})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_collected_default_vpc if {
	_findings(_vpc("aws_vpc", {"cidr_block": "172.31.0.0/16", "is_default": true})) == {expect.fail(
		_metadata, _address, "aws_vpc",
		"VPC \"vpc-0default000000001\" is the default VPC of region eu-west-1 (is_default = true)",
	)}
}

# Its presence alone fails, whatever it holds.
test_fail_terraform_default_vpc if {
	r := object.remove(_vpc("aws_default_vpc", {}), ["region"])
	_findings(r) == {expect.fail(
		_metadata, _address, "aws_default_vpc",
		"default VPC \"vpc-0default000000001\" is kept in its region (aws_default_vpc)",
	)}
}

test_missing_is_default if {
	_findings(_vpc("aws_vpc", {"cidr_block": "10.20.0.0/16"})) == {expect.indeterminate(
		_metadata, _address, "aws_vpc",
		"VPC \"vpc-0default000000001\": is_default is missing from the inventory", ["is_default"],
	)}
}

test_unknown_is_default if {
	r := object.union(_vpc("aws_vpc", {"is_default": null}), {"unknown": ["is_default"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_vpc",
		"VPC \"vpc-0default000000001\": is_default is known only after apply", ["is_default"],
	)}
}

test_missing_is_default_of_another_type if {
	_findings(_vpc("aws_vpc", {"is_default": "yes"})) == {expect.indeterminate(
		_metadata, _address, "aws_vpc",
		"VPC \"vpc-0default000000001\": is_default is yes, not true or false", ["is_default"],
	)}
}
