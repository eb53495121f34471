package checks.aws.ec2.private_tier_public_ip_test

import data.checks.aws.ec2.private_tier_public_ip as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-105",
	"title": "Instance in a private tier gets a public IP address",
	"description": "An instance tagged for a private network tier (application, data) that receives a public IPv4 address is reachable from the internet as soon as a security group or route allows it, bypassing the tiering the tag promises.",
	"severity": "high",
	"resource_types": ["aws_instance", "aws_launch_configuration", "aws_launch_template"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.4"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Set associate_public_ip_address = false (in the launch template, in every network_interfaces block), place private-tier instances in subnets without map_public_ip_on_launch, and reach them through a load balancer, NAT gateway or SSM Session Manager.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_resource(type, tier, attributes) := {
	"address": sprintf("%s.app", [type]),
	"type": type,
	"provider": "aws",
	"name": "app",
	"tags": {"Tier": tier},
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_private_without_public_ip if {
	r := _resource("aws_instance", "Private", {"associate_public_ip_address": false})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_public_tier_out_of_scope if {
	r := _resource("aws_instance", "public", {"associate_public_ip_address": true})
	untagged := object.remove(_resource("aws_instance", "x", {"associate_public_ip_address": true}), ["tags"])
	count(check.findings) == 0 with input as _inventory([r, untagged])
	count(check.resources) == 0 with input as _inventory([r, untagged])
}

test_fail_instance_public_ip if {
	r := _resource("aws_instance", "data", {"associate_public_ip_address": true})
	check.findings == {expect.fail(_metadata, "aws_instance.app", "aws_instance", "aws_instance \"app\" is tagged for the private tier \"data\" but gets a public IP address (associate_public_ip_address = true)")} with input as _inventory([r])
}

test_fail_launch_template_interface if {
	r := _resource("aws_launch_template", "private", {"network_interfaces": [{"device_index": 0, "associate_public_ip_address": "true"}, {"device_index": 1, "associate_public_ip_address": ""}]})
	check.findings == {expect.fail(_metadata, "aws_launch_template.app", "aws_launch_template", "launch template \"app\" is tagged for the private tier \"private\" but gives network interface(s) 0 a public IP address")} with input as _inventory([r])
}

test_pass_launch_template_no_public if {
	r := _resource("aws_launch_template", "private", {"network_interfaces": [{"device_index": 0, "associate_public_ip_address": "false"}]})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.findings) == 0 with input as _inventory([_resource("aws_launch_template", "private", {"network_interfaces": []})])
}

# The tier keys and values are parameters.
test_fail_custom_tier_parameters if {
	r := object.union(_resource("aws_launch_configuration", "x", {"associate_public_ip_address": true}), {"tags": {"Layer": "Backend"}})
	inv := object.union(_inventory([r]), {"parameters": {"network_tier_tag_keys": ["Layer"], "private_network_tiers": ["backend"]}})
	check.findings == {expect.fail(_metadata, "aws_launch_configuration.app", "aws_launch_configuration", "aws_launch_configuration \"app\" is tagged for the private tier \"backend\" but gets a public IP address (associate_public_ip_address = true)")} with input as inv
}

# A plan leaves the flag unknown when the subnet decides it.
test_unknown_public_ip if {
	r := object.union(_resource("aws_instance", "private", {}), {"unknown": ["associate_public_ip_address"]})
	check.findings == {expect.indeterminate(_metadata, "aws_instance.app", "aws_instance", "aws_instance \"app\": associate_public_ip_address is known only after apply", ["associate_public_ip_address"])} with input as _inventory([r])
}

test_missing_public_ip if {
	r := _resource("aws_instance", "private", {})
	check.findings == {expect.indeterminate(_metadata, "aws_instance.app", "aws_instance", "aws_instance \"app\": associate_public_ip_address is missing from the inventory", ["associate_public_ip_address"])} with input as _inventory([r])
}

test_unknown_launch_template_interface if {
	r := object.union(_resource("aws_launch_template", "private", {"network_interfaces": [{"device_index": 0}]}), {"unknown": ["network_interfaces.0.associate_public_ip_address"]})
	check.findings == {expect.indeterminate(_metadata, "aws_launch_template.app", "aws_launch_template", "launch template \"app\": network_interfaces.0.associate_public_ip_address known only after apply", ["network_interfaces.0.associate_public_ip_address"])} with input as _inventory([r])
}

test_missing_launch_template_interfaces if {
	r := _resource("aws_launch_template", "private", {})
	check.findings == {expect.indeterminate(_metadata, "aws_launch_template.app", "aws_launch_template", "launch template \"app\": network_interfaces is missing from the inventory", ["network_interfaces"])} with input as _inventory([r])
}

# A collector writes booleans; an interface without a device index is named by its position.
test_fail_launch_template_boolean_without_device_index if {
	r := _resource("aws_launch_template", "private", {"network_interfaces": [{"associate_public_ip_address": false}, {"associate_public_ip_address": true}]})
	check.findings == {expect.fail(_metadata, "aws_launch_template.app", "aws_launch_template", "launch template \"app\" is tagged for the private tier \"private\" but gives network interface(s) 1 a public IP address")} with input as _inventory([r])
}
