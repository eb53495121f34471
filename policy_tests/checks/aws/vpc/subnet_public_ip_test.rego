package checks.aws.vpc.subnet_public_ip_test

import data.checks.aws.vpc.subnet_public_ip as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NET-002",
	"title": "Subnet gives instances public IP addresses automatically",
	"description": "A subnet with map_public_ip_on_launch gives every instance launched in it a public address, so a server meant to be internal is reachable from the internet as soon as a security group rule allows it.",
	"severity": "medium",
	"resource_types": ["aws_subnet"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Set map_public_ip_on_launch = false; put internet-facing services behind a load balancer or NAT gateway, and give the few instances that need one an Elastic IP explicitly.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
		"attributes": attributes,
	},
	extra,
)

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_private_subnet if {
	r := _resource("aws_subnet", "app", {"cidr_block": "10.0.1.0/24", "map_public_ip_on_launch": false}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_public_ip_on_launch if {
	r := _resource("aws_subnet", "web", {"cidr_block": "10.0.0.0/24", "map_public_ip_on_launch": true}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "subnet \"web\" gives instances a public IP address at launch (map_public_ip_on_launch = true)")}
}

test_missing_flag if {
	r := _resource("aws_subnet", "web", {"cidr_block": "10.0.0.0/24"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "subnet \"web\": map_public_ip_on_launch is missing from the inventory", ["map_public_ip_on_launch"])}
}

test_unknown_flag if {
	r := _resource("aws_subnet", "web", {}, {"unknown": ["map_public_ip_on_launch"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "subnet \"web\": map_public_ip_on_launch is known only after apply", ["map_public_ip_on_launch"])}
}
