# METADATA
# title: Network ACL lets the internet reach a database port
# description: >-
#   A network ACL that allows inbound traffic from 0.0.0.0/0 or ::/0 to a
#   database or cache port (MySQL, PostgreSQL, SQL Server, Oracle, Redis,
#   MongoDB ...) leaves the data tier one security group away from the whole
#   internet, its scanners and its credential-guessing bots.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NET-004
#   severity: high
#   resource_types: [aws_network_acl, aws_default_network_acl, aws_network_acl_rule]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Allow database ports only from the application subnets' ranges, or add a
#     deny rule with a lower rule number for them; keep databases in private
#     subnets whose ACLs do not admit the internet at all.
package checks.aws.vpc.nacl_open_db_port

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_ports := params.value("network_database_ports")

_what := "database"

_label := {
	"aws_network_acl": "network ACL",
	"aws_default_network_acl": "default network ACL",
	"aws_network_acl_rule": "network ACL rule",
}

# --- Network ACLs with inline ingress rules ---------------------------------
#
# Rules are evaluated the way AWS does, lowest rule number first: an allow
# from the internet is harmless when deny rules with lower numbers in the same
# ACL, for the same family and port, together cover the whole internet. Rules
# declared as separate aws_network_acl_rule resources are not seen here (each
# is judged on its own below).

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type != "aws_network_acl_rule"
	result.attribute_state(r, "ingress") == "known"
	exposed := _acl_exposed(r)
	count(exposed) > 0
	msg := sprintf("%s %q allows inbound traffic from the internet to %s port(s) %s (rule(s) %s)", [
		_label[r.type], r.name, _what,
		concat(", ", [sprintf("%d", [p]) | some p in sort({p | some [p, _] in exposed})]),
		concat(", ", [sprintf("%v", [n]) | some n in sort({n | some [_, n] in exposed})]),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["ingress"]) if {
	some r in resources
	r.type != "aws_network_acl_rule"
	state := result.attribute_state(r, "ingress")
	state != "known"
	msg := sprintf("%s %q: ingress is %s", [_label[r.type], r.name, result.state_text[state]])
}

# Rules that cannot be read leave the ACL undecided unless it already fails.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	r.type != "aws_network_acl_rule"
	result.attribute_state(r, "ingress") == "known"
	is_array(r.attributes.ingress)
	count(_acl_exposed(r)) == 0
	paths := [sprintf("ingress.%d", [i]) | some i, rule in r.attributes.ingress; not _readable(rule)]
	count(paths) > 0
	msg := sprintf("%s %q: %s cannot be read (protocol, action, rule_no or ports missing or of another type)", [_label[r.type], r.name, concat(", ", paths)])
}

findings contains result.indeterminate(metadata, r, msg, ["ingress"]) if {
	some r in resources
	r.type != "aws_network_acl_rule"
	result.attribute_state(r, "ingress") == "known"
	not is_array(r.attributes.ingress)
	msg := sprintf("%s %q: ingress is not a list of rules", [_label[r.type], r.name])
}

# [port, rule number] pairs of allow rules that let the internet reach a port.
_acl_exposed(r) := {[port, rule.rule_no] |
	is_array(r.attributes.ingress)
	some rule in r.attributes.ingress
	_readable(rule)
	lower(rule.action) == "allow"
	some family in ["cidr_block", "ipv6_cidr_block"]
	_world(object.get(rule, family, null))
	some port in _ports
	_covers(rule, port)
	not _shadowed(r.attributes.ingress, rule, family, port)
}

# Deny rules evaluated before the allow, for its family and port, that
# together cover the whole internet.
_shadowed(rules, allow, family, port) if {
	denied := [cidr |
		some rule in rules
		_readable(rule)
		lower(rule.action) == "deny"
		rule.rule_no < allow.rule_no
		_covers(rule, port)
		cidr := object.get(rule, family, null)
		is_string(cidr)
		net.cidr_is_valid(cidr)
		contains(cidr, ":") == _v6[family]
	]
	_whole(denied)
}

_readable(rule) if {
	is_object(rule)
	is_string(object.get(rule, "protocol", null))
	is_string(object.get(rule, "action", null))
	is_number(object.get(rule, "rule_no", null))
	_ports_readable(rule)
}

_ports_readable(rule) if _all_protocols(rule.protocol)

_ports_readable(rule) if not _tcp(rule.protocol)

_ports_readable(rule) if {
	_tcp(rule.protocol)
	is_number(object.get(rule, "from_port", null))
	is_number(object.get(rule, "to_port", null))
}

_v6 := {"cidr_block": false, "ipv6_cidr_block": true}

# --- Separate aws_network_acl_rule resources ---------------------------------
#
# Judged one at a time: a deny held by another rule resource of the same ACL
# cannot be seen, so an allow from the internet fails on its own.

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type == "aws_network_acl_rule"
	exposed := _rule_exposed(r)
	count(exposed) > 0
	msg := sprintf("%s %q allows inbound traffic from the internet to %s port(s) %s", [
		_label[r.type], r.name, _what,
		concat(", ", [sprintf("%d", [p]) | some p in sort(exposed)]),
	])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	r.type == "aws_network_acl_rule"
	not _rule_cleared(r)
	count(_rule_exposed(r)) == 0
	paths := _rule_undecided(r)
	count(paths) > 0
	msg := sprintf("%s %q: %s %s", [_label[r.type], r.name, concat(", ", paths), _not_known_text(r, paths)])
}

_known(r, path) if result.attribute_state(r, path) == "known"

_rule_exposed(r) := {port |
	_known(r, "egress")
	r.attributes.egress == false
	_known(r, "rule_action")
	is_string(r.attributes.rule_action)
	lower(r.attributes.rule_action) == "allow"
	some family in ["cidr_block", "ipv6_cidr_block"]
	_known(r, family)
	_world(r.attributes[family])
	_known(r, "protocol")
	is_string(r.attributes.protocol)
	some port in _ports
	_rule_covers(r, port)
}

_rule_covers(r, _) if _all_protocols(r.attributes.protocol)

_rule_covers(r, port) if {
	_tcp(r.attributes.protocol)
	_known(r, "from_port")
	_known(r, "to_port")
	_covers(r.attributes, port)
}

# A known fact that rules the rule out whatever the unknown ones turn out to be.
_rule_cleared(r) if {
	_known(r, "egress")
	r.attributes.egress == true
}

_rule_cleared(r) if {
	_known(r, "rule_action")
	is_string(r.attributes.rule_action)
	lower(r.attributes.rule_action) != "allow"
}

_rule_cleared(r) if {
	_known(r, "protocol")
	is_string(r.attributes.protocol)
	not _all_protocols(r.attributes.protocol)
	not _tcp(r.attributes.protocol)
}

_rule_cleared(r) if {
	every family in ["cidr_block", "ipv6_cidr_block"] {
		_known(r, family)
		not _world(r.attributes[family])
	}
}

_rule_cleared(r) if {
	_known(r, "protocol")
	_tcp(r.attributes.protocol)
	_known(r, "from_port")
	_known(r, "to_port")
	is_number(r.attributes.from_port)
	is_number(r.attributes.to_port)
	every port in _ports {
		not _covers(r.attributes, port)
	}
}

# The deciding attributes that are not known (or not of the expected type).
_rule_undecided(r) := [path |
	some path in _rule_paths(r)
	not _usable(r, path)
]

_rule_paths(r) := ["egress", "rule_action", "protocol", "cidr_block", "ipv6_cidr_block", "from_port", "to_port"] if {
	not _known_non_tcp(r)
} else := ["egress", "rule_action", "protocol", "cidr_block", "ipv6_cidr_block"]

_known_non_tcp(r) if {
	_known(r, "protocol")
	_all_protocols(r.attributes.protocol)
}

_usable(r, path) if {
	path in {"cidr_block", "ipv6_cidr_block"}
	_known(r, path)
}

_usable(r, "egress") if {
	_known(r, "egress")
	is_boolean(r.attributes.egress)
}

_usable(r, path) if {
	path in {"rule_action", "protocol"}
	_known(r, path)
	is_string(r.attributes[path])
}

_usable(r, path) if {
	path in {"from_port", "to_port"}
	_known(r, path)
	is_number(r.attributes[path])
}

_not_known_text(r, paths) := result.state_text[state] if {
	states := {s | some p in paths; s := result.attribute_state(r, p); s != "known"}
	count(states) == 1
	some state in states
} else := "not known or not readable"

# --- Shared -------------------------------------------------------------------

# The whole internet: any /0 prefix, IPv4 or IPv6.
_world(cidr) if {
	is_string(cidr)
	net.cidr_is_valid(cidr)
	endswith(cidr, "/0")
}

# CIDRs of one family that merge into the whole address space.
_whole(cidrs) if {
	some merged in net.cidr_merge(cidrs)
	endswith(merged, "/0")
}

_all_protocols(protocol) if lower(protocol) in {"-1", "all"}

_tcp(protocol) if lower(protocol) in {"tcp", "6"}

_covers(rule, _) if _all_protocols(rule.protocol)

_covers(rule, port) if {
	_tcp(rule.protocol)
	rule.from_port <= port
	port <= rule.to_port
}
