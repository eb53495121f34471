# METADATA
# title: Instance in a private tier gets a public IP address
# description: >-
#   An instance tagged for a private network tier (application, data) that
#   receives a public IPv4 address is reachable from the internet as soon as
#   a security group or route allows it, bypassing the tiering the tag
#   promises.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-105
#   severity: high
#   resource_types: [aws_instance, aws_launch_configuration, aws_launch_template]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.4"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Set associate_public_ip_address = false (in the launch template, in every
#     network_interfaces block), place private-tier instances in subnets
#     without map_public_ip_on_launch, and reach them through a load balancer,
#     NAT gateway or SSM Session Manager.
package checks.aws.ec2.private_tier_public_ip

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); _private_tier(r)}

# An instance or launch configuration: one flag.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type != "aws_launch_template"
	result.attribute_state(r, "associate_public_ip_address") == "known"
	r.attributes.associate_public_ip_address == true
	msg := sprintf("%s %q is tagged for the private tier %q but gets a public IP address (associate_public_ip_address = true)", [r.type, r.name, _tier(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["associate_public_ip_address"]) if {
	some r in resources
	r.type != "aws_launch_template"
	state := result.attribute_state(r, "associate_public_ip_address")
	state != "known"
	msg := sprintf("%s %q: associate_public_ip_address is %s", [r.type, r.name, result.state_text[state]])
}

# A launch template: one flag per network interface.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type == "aws_launch_template"
	public := _public_interfaces(r)
	count(public) > 0
	msg := sprintf("launch template %q is tagged for the private tier %q but gives network interface(s) %s a public IP address", [r.name, _tier(r), concat(", ", public)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	r.type == "aws_launch_template"
	count(_public_interfaces(r)) == 0
	paths := [p |
		some i, _ in object.get(r.attributes, "network_interfaces", [])
		p := _path(i)
		result.attribute_state(r, p) == "unknown"
	]
	count(paths) > 0
	msg := sprintf("launch template %q: %s known only after apply", [r.name, concat(", ", paths)])
}

findings contains result.indeterminate(metadata, r, msg, ["network_interfaces"]) if {
	some r in resources
	r.type == "aws_launch_template"
	not is_array(object.get(r.attributes, "network_interfaces", null))
	state := result.attribute_state(r, "network_interfaces")
	state != "known"
	msg := sprintf("launch template %q: network_interfaces is %s", [r.name, result.state_text[state]])
}

_tier(r) := lower(tags.tag_value(r, params.value("network_tier_tag_keys")))

_private_tier(r) if _tier(r) in params.value("private_network_tiers")

_path(i) := sprintf("network_interfaces.%d.associate_public_ip_address", [i])

# Terraform holds the template's flag as "true", "false" or "" (unset).
_public_interfaces(r) := [_device(n, i) |
	some i, n in object.get(r.attributes, "network_interfaces", [])
	is_object(n)
	result.attribute_state(r, _path(i)) != "unknown"
	_true(object.get(n, "associate_public_ip_address", null))
]

_true(v) if v == true

_true(v) if {
	is_string(v)
	lower(v) == "true"
}

_device(n, i) := sprintf("%d", [n.device_index]) if {
	is_number(n.device_index)
} else := sprintf("%d", [i])
