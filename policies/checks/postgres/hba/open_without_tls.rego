# METADATA
# title: pg_hba.conf rule admits any address without requiring TLS
# description: >-
#   A host, hostnossl or hostnogssenc line for every address (all, 0.0.0.0/0,
#   ::/0) lets clients anywhere connect without encryption, sending passwords
#   and data in clear text. samenet, samehost and narrower ranges do not count.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-HBA-003
#   severity: high
#   resource_types: [postgresql_hba_rule]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.6", "CC6.7"]
#     iso27001: ["A.8.24", "A.8.20"]
#   remediation: >-
#     Change the line to hostssl (or hostgssenc), narrow its address to the
#     networks that need access, and reload the server configuration.
package checks.postgres.hba.open_without_tls

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Connection types that accept a connection without TLS or GSSAPI encryption.
_unencrypted := {"host", "hostnossl", "hostnogssenc"}

_known(r, path) if result.attribute_state(r, path) == "known"

# A known address or netmask the check can read: non-empty text, and for the
# netmask a valid IP address (a netmask is written as one).
_usable(r, "address") if {
	_known(r, "address")
	is_string(r.attributes.address)
	trim_space(r.attributes.address) != ""
}

_usable(r, "netmask") if {
	_known(r, "netmask")
	is_string(r.attributes.netmask)
	net.cidr_is_valid(concat("", [trim_space(r.attributes.netmask), "/0"]))
}

_any_address(address) if address == "all"

_any_address(address) if endswith(address, "/0")

# pg_hba_file_rules reports 0.0.0.0/0 as address 0.0.0.0 with netmask 0.0.0.0
# and ::/0 with an all-zero IPv6 netmask, which may be spelt "::",
# "0:0:0:0:0:0:0:0", "0::0", ...: any valid mask made only of zeros.
_zero_netmask(netmask) if regex.match(`^[0:.]+$`, trim_space(netmask))

# A bare IP address (no /prefix) whose range only the netmask tells.
_needs_netmask(address) if {
	not contains(address, "/")
	regex.match(`^[0-9.]+$|:`, address)
}

# reach is "any" (every address), "limited", or "undetermined": the address is
# not collected or not usable (a host line's address is never null or empty),
# or it is a bare IP address whose netmask is not collected or not usable.
# Only a keyword (samehost, samenet), a host name or a CIDR range needs no
# netmask.
_reach(r) := "any" if {
	_usable(r, "address")
	_any_address(r.attributes.address)
} else := "any" if {
	_usable(r, "netmask")
	_zero_netmask(r.attributes.netmask)
} else := "limited" if {
	_usable(r, "address")
	not _needs_netmask(r.attributes.address)
} else := "limited" if {
	_usable(r, "address")
	_usable(r, "netmask")
} else := "undetermined"

_unencrypted_rule(r) if {
	_known(r, "connection_type")
	r.attributes.connection_type in _unencrypted
}

_reasons(r, paths) := concat("; ", [_reason(r, p) | some p in paths])

_reason(r, path) := sprintf("%s is %s", [path, json.marshal(r.attributes[path])]) if {
	_known(r, path)
} else := sprintf("%s is %s", [path, result.state_text[result.attribute_state(r, path)]])

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_unencrypted_rule(r)
	_reach(r) == "any"
	_known(r, "auth_method")
	r.attributes.auth_method != "reject"
	msg := sprintf("pg_hba.conf line %v (%s, address %v, netmask %v) admits any address without requiring TLS", [
		object.get(r.attributes, "line_number", "?"),
		r.attributes.connection_type,
		object.get(r.attributes, "address", "?"),
		object.get(r.attributes, "netmask", "?"),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["connection_type"]) if {
	some r in resources
	not _known(r, "connection_type")
	msg := sprintf("pg_hba rule %q: %s", [r.name, _reasons(r, ["connection_type"])])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	_unencrypted_rule(r)
	_reach(r) == "undetermined"
	paths := [p | some p in ["address", "netmask"]; not _usable(r, p)]
	msg := sprintf("pg_hba rule %q: %s", [r.name, _reasons(r, paths)])
}

findings contains result.indeterminate(metadata, r, msg, ["auth_method"]) if {
	some r in resources
	_unencrypted_rule(r)
	_reach(r) == "any"
	not _known(r, "auth_method")
	msg := sprintf("pg_hba rule %q: %s", [r.name, _reasons(r, ["auth_method"])])
}
