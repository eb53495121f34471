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
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Set log_connections = on and log_disconnections = on in postgresql.conf
#     and reload the server configuration.
package checks.postgres.server.connection_logging

import data.lib.inventory
import data.lib.postgres
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_settings := ["log_connections", "log_disconnections"]

# Booleans in any spelling PostgreSQL accepts (on, TRUE, yes, 1, off, ...),
# and (PostgreSQL 18) log_connections as a list of aspects, where any aspect
# but setup_durations logs the connection and an empty list logs none.
_logging_aspects := {"all", "receipt", "authentication", "authorization"}

_aspects := _logging_aspects | {"setup_durations"}

_aspect_list(value) := {aspect |
	some item in split(value, ",")
	aspect := lower(trim_space(item))
	aspect != ""
} if is_string(value)

_enabled(_, value) if postgres.setting_bool(value) == true

_enabled("log_connections", value) if {
	some aspect in _aspect_list(value)
	aspect in _logging_aspects
}

_disabled(_, value) if postgres.setting_bool(value) == false

_disabled("log_connections", value) if {
	aspects := _aspect_list(value)
	every aspect in aspects {
		aspect in _aspects
		not aspect in _logging_aspects
	}
}

_state(r, setting) := result.attribute_state(r, concat(".", ["settings", setting]))

_value(r, setting) := r.attributes.settings[setting]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	off := [sprintf("%s = %q", [s, _value(r, s)]) |
		some s in _settings
		_state(r, s) == "known"
		_disabled(s, _value(r, s))
	]
	count(off) > 0
	msg := sprintf("PostgreSQL server %q has %s", [r.name, concat(", ", off)])
}

# Indeterminate only when no known setting is off (that one is a failure): a
# setting not collected, or holding a value PostgreSQL would not accept.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	every s in _settings {
		not _known_off(r, s)
	}
	unsettled := [s | some s in _settings; not _known_on(r, s)]
	count(unsettled) > 0
	paths := [concat(".", ["settings", s]) | some s in unsettled]
	reasons := [_reason(r, s) | some s in unsettled]
	msg := sprintf("PostgreSQL server %q: %s", [r.name, concat("; ", reasons)])
}

_known_off(r, s) if {
	_state(r, s) == "known"
	_disabled(s, _value(r, s))
}

_known_on(r, s) if {
	_state(r, s) == "known"
	_enabled(s, _value(r, s))
}

_reason(r, s) := sprintf("setting %s is %s", [s, result.state_text[_state(r, s)]]) if {
	_state(r, s) != "known"
} else := sprintf("setting %s = %s is not a value PostgreSQL accepts", [s, json.marshal(_value(r, s))])
