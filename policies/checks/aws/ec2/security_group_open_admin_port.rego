# METADATA
# title: Security group opens SSH or RDP to the internet
# description: >-
#   An ingress rule from 0.0.0.0/0 or ::/0 that covers SSH (22) or RDP (3389)
#   exposes remote administration to password spraying, credential stuffing
#   and exploits from anyone on the internet.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-002
#   severity: high
#   resource_types: [aws_security_group]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Remove the world-open rule; reach instances through SSM Session Manager,
#     a VPN or a bastion, and allow 22/3389 only from those sources.
package checks.aws.ec2.security_group_open_admin_port

import data.lib.inventory
import data.lib.result

# SSH and RDP.
admin_ports := {22, 3389}

open_cidrs := {"0.0.0.0/0", "::/0"}

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "ingress") == "known"
	exposed := _exposed_ports(r)
	count(exposed) > 0
	ports := concat(", ", [sprintf("%d", [p]) | some p in sort(exposed)])
	msg := sprintf("security group %q allows the internet to remote administration port(s) %s", [r.name, ports])
}

findings contains result.indeterminate(metadata, r, msg, ["ingress"]) if {
	some r in resources
	state := result.attribute_state(r, "ingress")
	state != "known"
	msg := sprintf("security group %q: ingress is %s", [r.name, result.state_text[state]])
}

# A port is exposed when the CIDRs of the rules covering it reach the whole
# internet: per rule or added up over several rules for the same port.
# Each rule's CIDRs and the ports it covers are read once (not once per port), and
# only ports some rule with a CIDR covers are merged: most groups open one or two.
_exposed_ports(r) := {port |
	covering := [[ports, cidrs] |
		some rule in r.attributes.ingress
		ports := _covered(rule)
		count(ports) > 0 # before the CIDRs: they are read only for a rule covering a port, as before
		cidrs := array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
		count(cidrs) > 0
	]
	some port in {p | some c in covering; some p in c[0]}
	_open_to_world([cidr | some c in covering; port in c[0]; some cidr in c[1]])
}

# The whole internet: 0.0.0.0/0 or ::/0, any /0 prefix (whatever its base
# address), or CIDRs of one family that merge into it (0.0.0.0/1 with
# 128.0.0.0/1). The families are merged apart (net.cidr_merge folds IPv4 into
# IPv6), and malformed CIDRs are skipped rather than raise an error.
_open_to_world(cidrs) if {
	some family in [false, true]
	valid := [cidr |
		some cidr in cidrs
		is_string(cidr)
		net.cidr_is_valid(cidr)
		contains(cidr, ":") == family
	]
	some merged in net.cidr_merge(valid)
	merged in open_cidrs
}

# The ports of admin_ports a rule covers. Protocol -1 means every protocol and port.
_covered(rule) := admin_ports if lower(rule.protocol) in {"-1", "all"}

_covered(rule) := {port |
	some port in admin_ports
	rule.from_port <= port
	port <= rule.to_port
} if lower(rule.protocol) in {"tcp", "6"}
