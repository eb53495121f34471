# METADATA
# title: RDS parameter group does not force TLS
# description: >-
#   Unless the parameter group forces TLS (rds.force_ssl for PostgreSQL and SQL
#   Server, require_secure_transport for MySQL and MariaDB), clients may connect
#   in clear text and credentials and data cross the network readable.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-010
#   severity: high
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Use a custom parameter group with rds.force_ssl = 1 (PostgreSQL, Aurora
#     PostgreSQL, SQL Server) or require_secure_transport = ON (MySQL, MariaDB,
#     Aurora MySQL), and apply it to the database.
package checks.aws.rds.force_tls

import data.lib.inventory
import data.lib.result

# The parameter that forces TLS, by engine prefix, and the values that turn it on.
tls_parameters := {
	"aurora-postgresql": "rds.force_ssl",
	"postgres": "rds.force_ssl",
	"sqlserver": "rds.force_ssl",
	"aurora-mysql": "require_secure_transport",
	"aurora": "require_secure_transport",
	"mysql": "require_secure_transport",
	"mariadb": "require_secure_transport",
}

enabled_values := {"1", "on", "true"}

metadata := result.check_metadata(rego.metadata.chain())

# Engines that force TLS elsewhere (Oracle's option groups, Db2) are out of
# scope; an unknown, missing, empty or null engine is kept in (indeterminate).
resources := {r | some r in inventory.of(metadata); not _other_engine(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	name := _parameter(r)
	result.attribute_state(r, "parameter_group.parameters") == "known"
	value := r.attributes.parameter_group.parameters[name]
	is_string(value)
	not _enabled_value(value)
	msg := sprintf("%s %q accepts unencrypted connections: parameter group %q sets %s = %q", [
		r.type, r.name, object.get(r.attributes.parameter_group, "name", ""), name, value,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["engine"]) if {
	some r in resources
	state := result.attribute_state(r, "engine")
	state != "known"
	msg := sprintf("%s %q: engine is %s", [r.type, r.name, result.state_text[state]])
}

# An empty or null engine names no engine: undecided, not out of scope.
findings contains result.indeterminate(metadata, r, msg, ["engine"]) if {
	some r in resources
	result.attribute_state(r, "engine") == "known"
	not _named(r.attributes.engine)
	msg := sprintf("%s %q: engine is not recorded (%s)", [r.type, r.name, _text(r.attributes.engine)])
}

findings contains result.indeterminate(metadata, r, msg, ["parameter_group.parameters"]) if {
	some r in resources
	name := _parameter(r)
	result.attribute_state(r, "parameter_group.parameters") == "known"
	value := r.attributes.parameter_group.parameters[name]
	not is_string(value)
	msg := sprintf("%s %q: parameter %s is not recorded in parameter_group.parameters (%s)", [r.type, r.name, name, _text(value)])
}

findings contains result.indeterminate(metadata, r, msg, ["parameter_group.parameters"]) if {
	some r in resources
	_parameter(r)
	state := result.attribute_state(r, "parameter_group.parameters")
	state != "known"
	msg := sprintf("%s %q: parameter_group.parameters is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["parameter_group.parameters"]) if {
	some r in resources
	name := _parameter(r)
	result.attribute_state(r, "parameter_group.parameters") == "known"
	not name in object.keys(r.attributes.parameter_group.parameters)
	msg := sprintf("%s %q: parameter %s is missing from parameter_group.parameters", [r.type, r.name, name])
}

# The TLS parameter of the resource's engine (the longest matching prefix wins,
# so aurora-postgresql is not read as aurora).
_parameter(r) := tls_parameters[_engine_prefix(r)]

_engine_prefix(r) := prefix if {
	result.attribute_state(r, "engine") == "known"
	_named(r.attributes.engine)
	engine := lower(trim_space(r.attributes.engine))
	matches := [p |
		some p, _ in tls_parameters
		startswith(engine, p)
	]
	prefix := [p | some p in matches; count(p) == max([count(q) | some q in matches])][0]
}

_other_engine(r) if {
	result.attribute_state(r, "engine") == "known"
	_named(r.attributes.engine)
	not _engine_prefix(r)
}

_named(engine) if {
	is_string(engine)
	trim_space(engine) != ""
}

_enabled_value(value) if lower(trim_space(value)) in enabled_values

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
