# METADATA
# title: PostgreSQL server allows TLS versions below the minimum
# description: >-
#   Unless ssl = on and ssl_min_protocol_version is at the configured minimum
#   (TLSv1.2 by default), clients connect in clear text or negotiate TLS 1.0 or
#   1.1, whose weaknesses expose credentials and query results on the network.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-SRV-002
#   severity: high
#   resource_types: [postgresql_server]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Set ssl = on and ssl_min_protocol_version = 'TLSv1.2' (or 'TLSv1.3') in
#     postgresql.conf and reload the server configuration.
package checks.postgres.server.tls_min_version

import data.lib.inventory
import data.lib.params
import data.lib.postgres
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# The values ssl_min_protocol_version accepts, oldest first, in the lower case
# setting_enum gives: versions compare by their place in this list, never as
# text, and case does not matter (tlsv1.2 is TLSv1.2).
_versions := ["tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3"]

# A value the server does not know (an empty string, not text) ranks below
# every version.
_rank(version) := i if {
	some i, name in _versions
	name == postgres.setting_enum(version)
} else := -1

# A minimum this check does not know (a future version) is above every version.
_minimum_rank := i if {
	some i, name in _versions
	name == postgres.setting_enum(params.value("minimum_tls_version"))
} else := count(_versions)

# ssl as a boolean (on, true, yes, 1, off, ... in any case); undefined when
# PostgreSQL would not accept the value.
_ssl(r) := postgres.setting_bool(r.attributes.settings.ssl) if {
	result.attribute_state(r, "settings.ssl") == "known"
}

_ssl_unrecognised(r) if {
	result.attribute_state(r, "settings.ssl") == "known"
	not postgres.is_setting_bool(r.attributes.settings.ssl)
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_ssl(r) == false
	msg := sprintf("PostgreSQL server %q has ssl = %s: no TLS at all (minimum %s)", [
		r.name,
		r.attributes.settings.ssl,
		params.value("minimum_tls_version"),
	])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_ssl(r) == true
	result.attribute_state(r, "settings.ssl_min_protocol_version") == "known"
	version := r.attributes.settings.ssl_min_protocol_version
	_rank(version) < _minimum_rank
	msg := sprintf("PostgreSQL server %q has ssl_min_protocol_version = %s, below %s", [
		r.name,
		json.marshal(version),
		params.value("minimum_tls_version"),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.ssl"]) if {
	some r in resources
	state := result.attribute_state(r, "settings.ssl")
	state != "known"
	msg := sprintf("PostgreSQL server %q: setting ssl is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.ssl"]) if {
	some r in resources
	_ssl_unrecognised(r)
	msg := sprintf("PostgreSQL server %q: setting ssl = %s is not a boolean PostgreSQL accepts", [
		r.name,
		json.marshal(r.attributes.settings.ssl),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.ssl_min_protocol_version"]) if {
	some r in resources
	_ssl(r) == true
	state := result.attribute_state(r, "settings.ssl_min_protocol_version")
	state != "known"
	msg := sprintf("PostgreSQL server %q: setting ssl_min_protocol_version is %s", [r.name, result.state_text[state]])
}
