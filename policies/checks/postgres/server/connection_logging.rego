# METADATA
# title: PostgreSQL server does not log connections and disconnections
# description: >-
#   Without log_connections and log_disconnections, the server log does not
#   show who connected, from where, when, and for how long, so access to the
#   data cannot be reconstructed after an incident.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-SRV-004
#   severity: medium
#   resource_types: [postgresql_server]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1", "10.2.1.1"]
#     soc2: ["CC7.2"]
#   remediation: >-
#     Set log_connections = on and log_disconnections = on in postgresql.conf
#     and reload the server configuration.
package checks.postgres.server.connection_logging

import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources contains r if {
	some r in input.resources
	r.type in metadata.resource_types
}

_settings := ["log_connections", "log_disconnections"]

# Booleans as pg_settings reports them, and (PostgreSQL 18) log_connections as
# a list of aspects, where any aspect but setup_durations logs the connection.
_enabled(value) if lower(trim_space(value)) in {"on", "true", "yes", "1"}

_enabled(value) if {
	some aspect in split(value, ",")
	lower(trim_space(aspect)) in {"all", "receipt", "authentication", "authorization"}
}

_state(r, setting) := result.attribute_state(r, concat(".", ["settings", setting]))

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	off := [sprintf("%s = %q", [s, r.attributes.settings[s]]) |
		some s in _settings
		_state(r, s) == "known"
		not _enabled(r.attributes.settings[s])
	]
	count(off) > 0
	msg := sprintf("PostgreSQL server %q has %s", [r.name, concat(", ", off)])
}

# Indeterminate only when no known setting is off (that one is a failure).
findings contains result.indeterminate(rego.metadata.chain(), r, msg, paths) if {
	some r in resources
	every s in _settings {
		_not_off(r, s)
	}
	unsettled := [s | some s in _settings; _state(r, s) != "known"]
	count(unsettled) > 0
	paths := [concat(".", ["settings", s]) | some s in unsettled]
	reasons := [sprintf("setting %s is %s", [s, result.state_text[_state(r, s)]]) | some s in unsettled]
	msg := sprintf("PostgreSQL server %q: %s", [r.name, concat("; ", reasons)])
}

_not_off(r, s) if _state(r, s) != "known"

_not_off(r, s) if _enabled(r.attributes.settings[s])
