# METADATA
# title: PostgreSQL server does not log DDL statements
# description: >-
#   With log_statement = none, CREATE, ALTER, DROP, GRANT and ALTER ROLE leave
#   no trace in the server log, so changes to schemas, privileges and
#   credentials cannot be traced to who made them.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-SRV-005
#   severity: medium
#   resource_types: [postgresql_server]
#   controls:
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1", "10.2.1.2", "10.2.1.5", "10.2.1.7"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Set log_statement = 'ddl' (or 'mod' to log data changes too) in
#     postgresql.conf and reload the server configuration.
package checks.postgres.server.log_statement

import data.lib.inventory
import data.lib.postgres
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# The log_statement levels that include every DDL statement, compared
# case-insensitively as PostgreSQL does (DDL is ddl).
_logs_ddl := {"ddl", "mod", "all"}

_logs_ddl_level(value) if postgres.setting_enum(value) in _logs_ddl

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "settings.log_statement") == "known"
	is_string(r.attributes.settings.log_statement)
	not _logs_ddl_level(r.attributes.settings.log_statement)
	msg := sprintf("PostgreSQL server %q has log_statement = %q: DDL statements are not logged", [
		r.name,
		r.attributes.settings.log_statement,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.log_statement"]) if {
	some r in resources
	state := result.attribute_state(r, "settings.log_statement")
	state != "known"
	msg := sprintf("PostgreSQL server %q: setting log_statement is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.log_statement"]) if {
	some r in resources
	result.attribute_state(r, "settings.log_statement") == "known"
	not is_string(r.attributes.settings.log_statement)
	msg := sprintf("PostgreSQL server %q: setting log_statement = %s is not a value PostgreSQL accepts", [
		r.name,
		json.marshal(r.attributes.settings.log_statement),
	])
}
