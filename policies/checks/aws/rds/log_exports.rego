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
#   remediation: >-
#     Set enabled_cloudwatch_logs_exports to the engine's log types (postgresql
#     for PostgreSQL; audit, error and slowquery for MySQL/MariaDB) and give the
#     log groups a retention of at least minimum_log_retention_days.
package checks.aws.rds.log_exports

import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources contains r if {
	some r in input.resources
	r.type in metadata.resource_types
}

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	result.attribute_state(r, "enabled_cloudwatch_logs_exports") == "known"
	count(r.attributes.enabled_cloudwatch_logs_exports) == 0
	msg := sprintf("%s %q exports no logs to CloudWatch Logs (enabled_cloudwatch_logs_exports = [])", [r.type, r.name])
}

findings contains result.indeterminate(rego.metadata.chain(), r, msg, ["enabled_cloudwatch_logs_exports"]) if {
	some r in resources
	state := result.attribute_state(r, "enabled_cloudwatch_logs_exports")
	state != "known"
	msg := sprintf("%s %q: enabled_cloudwatch_logs_exports is %s", [r.type, r.name, result.state_text[state]])
}
