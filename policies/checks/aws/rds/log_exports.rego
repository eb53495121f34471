# METADATA
# title: RDS logs not exported to CloudWatch Logs
# description: >-
#   Database logs kept only on the instance rotate away within days and are lost
#   with it; exporting them to CloudWatch Logs keeps a central, retained record
#   of connections, errors and audit events for monitoring and investigation.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-007
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Set enabled_cloudwatch_logs_exports to the engine's log types, including
#     its main log (postgresql for PostgreSQL; audit, with the audit plugin, or
#     general, besides error and slowquery, for MySQL/MariaDB; audit for Oracle;
#     error for SQL Server) and give the log groups a retention of at least
#     minimum_log_retention_days.
package checks.aws.rds.log_exports

import data.lib.inventory
import data.lib.result

# The engine's main log, by engine prefix (the longest matching prefix wins, so
# aurora-postgresql is not read as aurora): at least one of these must be
# exported. PostgreSQL's only database log is postgresql. For the MySQL family
# the record of connections and statements is audit (MariaDB audit plugin /
# server_audit_logging) or, without the plugin, general; error and slowquery
# alone record neither. Oracle's is audit; SQL Server exports only error and
# agent, and error carries the logins. Other engines (Db2, RDS Custom) have no
# rule here and are indeterminate when they export anything.
main_logs := {
	"aurora-postgresql": {"postgresql"},
	"postgres": {"postgresql"},
	"aurora-mysql": {"audit", "general"},
	"aurora": {"audit", "general"},
	"mysql": {"audit", "general"},
	"mariadb": {"audit", "general"},
	"oracle": {"audit"},
	"sqlserver": {"error"},
}

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enabled_cloudwatch_logs_exports") == "known"
	r.attributes.enabled_cloudwatch_logs_exports == []
	msg := sprintf("%s %q exports no logs to CloudWatch Logs (enabled_cloudwatch_logs_exports = [])", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["enabled_cloudwatch_logs_exports"]) if {
	some r in resources
	state := result.attribute_state(r, "enabled_cloudwatch_logs_exports")
	state != "known"
	msg := sprintf("%s %q: enabled_cloudwatch_logs_exports is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enabled_cloudwatch_logs_exports") == "known"
	exports := r.attributes.enabled_cloudwatch_logs_exports
	_exports_some(r)
	required := main_logs[_engine_prefix(r)]
	not _exports_any(exports, required)
	msg := sprintf("%s %q does not export the engine's main log to CloudWatch Logs (engine %q needs %s; enabled_cloudwatch_logs_exports = %v)", [
		r.type, r.name, r.attributes.engine, concat(" or ", sort(required)), exports,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["enabled_cloudwatch_logs_exports"]) if {
	some r in resources
	result.attribute_state(r, "enabled_cloudwatch_logs_exports") == "known"
	not is_array(r.attributes.enabled_cloudwatch_logs_exports)
	msg := sprintf("%s %q: enabled_cloudwatch_logs_exports is not recorded (%v)", [r.type, r.name, r.attributes.enabled_cloudwatch_logs_exports])
}

# With logs exported, whether the main log is among them depends on the engine.
findings contains result.indeterminate(metadata, r, msg, ["engine"]) if {
	some r in resources
	_exports_some(r)
	state := result.attribute_state(r, "engine")
	state != "known"
	msg := sprintf("%s %q: engine is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["engine"]) if {
	some r in resources
	_exports_some(r)
	result.attribute_state(r, "engine") == "known"
	engine := r.attributes.engine
	not _named(engine)
	msg := sprintf("%s %q: engine is not recorded (%s)", [r.type, r.name, _text(engine)])
}

findings contains result.indeterminate(metadata, r, msg, ["engine"]) if {
	some r in resources
	_exports_some(r)
	result.attribute_state(r, "engine") == "known"
	_named(r.attributes.engine)
	not _engine_prefix(r)
	msg := sprintf("%s %q: no main log type is known for engine %q (enabled_cloudwatch_logs_exports = %v)", [
		r.type, r.name, r.attributes.engine, r.attributes.enabled_cloudwatch_logs_exports,
	])
}

# false rather than nothing, so OPA keeps the answer for the four rules asking.
_exports_some(r) if {
	result.attribute_state(r, "enabled_cloudwatch_logs_exports") == "known"
	is_array(r.attributes.enabled_cloudwatch_logs_exports)
	count(r.attributes.enabled_cloudwatch_logs_exports) > 0
} else := false

_exports_any(exports, required) if {
	some log in exports
	is_string(log)
	lower(trim_space(log)) in required
}

_named(engine) if {
	is_string(engine)
	trim_space(engine) != ""
}

_engine_prefix(r) := prefix if {
	result.attribute_state(r, "engine") == "known"
	_named(r.attributes.engine)
	engine := lower(trim_space(r.attributes.engine))
	matches := [p |
		some p, _ in main_logs
		startswith(engine, p)
	]
	prefix := [p | some p in matches; count(p) == max([count(q) | some q in matches])][0]
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
