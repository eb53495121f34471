# METADATA
# title: Security group admits all traffic from the internet
# description: >-
#   An ingress rule for every protocol, or for every TCP or UDP port, from
#   0.0.0.0/0 or ::/0 exposes each service listening on the group's
#   instances, including ones nobody meant to publish (debug ports, admin
#   consoles, databases), to the whole internet.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-004
#   severity: critical
#   resource_types: [aws_security_group]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Replace the rule with rules for the ports the service publishes (443
#     behind a load balancer, for instance), and reach anything else through a
#     VPN, SSM Session Manager or other security groups as sources.
package checks.aws.ec2.security_group_open_all

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "ingress") == "known"
	open := _open_rules(r)
	count(open) > 0
	msg := sprintf("security group %q allows all traffic from the internet (%s)", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["ingress"]) if {
	some r in resources
	state := result.attribute_state(r, "ingress")
	state != "known"
	msg := sprintf("security group %q: ingress is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["ingress"]) if {
	some r in resources
	result.attribute_state(r, "ingress") == "known"
	not is_array(r.attributes.ingress)
	msg := sprintf("security group %q: ingress is not a list of rules", [r.name])
}

# Rules that cover every port from the whole internet, named by position.
_open_rules(r) := [sprintf("ingress.%d: protocol %s, ports %v-%v", [i, rule.protocol, rule.from_port, rule.to_port]) |
	is_array(r.attributes.ingress)
	some i, rule in r.attributes.ingress
	is_object(rule)
	_every_port(rule)
	_open_to_world(array.concat(_list(object.get(rule, "cidr_blocks", [])), _list(object.get(rule, "ipv6_cidr_blocks", []))))
]

_list(v) := v if is_array(v)

_list(v) := [] if not is_array(v)

# Protocol -1 (or "all") is every protocol; a TCP or UDP rule from port 0 (or
# -1) to 65535 is every port of that protocol.
_every_port(rule) if lower(rule.protocol) in {"-1", "all"}

_every_port(rule) if {
	lower(rule.protocol) in {"tcp", "udp", "6", "17"}
	rule.from_port <= 0
	rule.to_port >= 65535
}

# The whole internet: any /0, or CIDRs of one family that merge into it.
_open_to_world(cidrs) if {
	some family in [false, true]
	valid := [cidr |
		some cidr in cidrs
		is_string(cidr)
		net.cidr_is_valid(cidr)
		contains(cidr, ":") == family
	]
	some merged in net.cidr_merge(valid)
	endswith(merged, "/0")
}
