# METADATA
# title: PostgreSQL server does not audit sessions with pgaudit
# description: >-
#   The server log alone does not record reliably who read or changed which
#   object; pgaudit must be loaded through shared_preload_libraries and
#   pgaudit.log must name the statement classes to audit.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-SRV-006
#   severity: medium
#   resource_types: [postgresql_server]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1", "10.2.1.1", "10.2.1.2"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Add pgaudit to shared_preload_libraries (restart), run CREATE EXTENSION
#     pgaudit, and set pgaudit.log to the classes to audit, for example
#     'ddl, role, write' (add 'read' for tables holding regulated data).
package checks.postgres.server.pgaudit

import data.lib.inventory
import data.lib.postgres
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# shared_preload_libraries is a comma-separated list; names may be quoted
# ('pgaudit', "pgaudit"), padded with spaces and in any case.
_loaded(r) if {
	_libraries_text(r)
	"pgaudit" in postgres.setting_list(r.attributes.settings.shared_preload_libraries)
}

_libraries_text(r) if {
	result.attribute_state(r, "settings.shared_preload_libraries") == "known"
	is_string(r.attributes.settings.shared_preload_libraries)
}

# pgaudit.log names classes to log; "none", empty items and subtractions
# ("-misc") add none, so a value made only of those audits nothing.
_audits_something(value) if {
	some item in split(value, ",")
	class := lower(trim_space(item))
	not class in {"", "none"}
	not startswith(class, "-")
}

# The setting name holds a dot, which attribute_state reads as a path step: its
# unknown state comes from the path, its presence from the settings map.
_log_state(r) := "unknown" if {
	result.attribute_state(r, "settings.pgaudit.log") == "unknown"
} else := "known" if {
	"pgaudit.log" in object.keys(object.get(r.attributes, "settings", {}))
} else := "missing"

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_libraries_text(r)
	not _loaded(r)
	msg := sprintf("PostgreSQL server %q does not load pgaudit (shared_preload_libraries = %q)", [
		r.name,
		r.attributes.settings.shared_preload_libraries,
	])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_loaded(r)
	_log_state(r) == "known"
	is_string(r.attributes.settings["pgaudit.log"])
	not _audits_something(r.attributes.settings["pgaudit.log"])
	msg := sprintf("PostgreSQL server %q loads pgaudit but pgaudit.log = %q audits no statement class", [
		r.name,
		r.attributes.settings["pgaudit.log"],
	])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.shared_preload_libraries"]) if {
	some r in resources
	state := result.attribute_state(r, "settings.shared_preload_libraries")
	state != "known"
	msg := sprintf("PostgreSQL server %q: setting shared_preload_libraries is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.pgaudit.log"]) if {
	some r in resources
	_loaded(r)
	state := _log_state(r)
	state != "known"
	msg := sprintf("PostgreSQL server %q: setting pgaudit.log is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.shared_preload_libraries"]) if {
	some r in resources
	result.attribute_state(r, "settings.shared_preload_libraries") == "known"
	not _libraries_text(r)
	msg := sprintf("PostgreSQL server %q: setting shared_preload_libraries = %s is not a value PostgreSQL accepts", [
		r.name,
		json.marshal(r.attributes.settings.shared_preload_libraries),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.pgaudit.log"]) if {
	some r in resources
	_loaded(r)
	_log_state(r) == "known"
	not is_string(r.attributes.settings["pgaudit.log"])
	msg := sprintf("PostgreSQL server %q: setting pgaudit.log = %s is not a value PostgreSQL accepts", [
		r.name,
		json.marshal(r.attributes.settings["pgaudit.log"]),
	])
}
