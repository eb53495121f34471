# METADATA
# title: Neptune audit logs not exported to CloudWatch Logs
# description: >-
#   Neptune's audit log records every query and the client that sent it; kept
#   only on the cluster it is lost with it and cannot be monitored. It takes two
#   settings: the audit log type in the cluster's CloudWatch Logs exports, and
#   neptune_enable_audit_log = 1 in its cluster parameter group. This check judges
#   the export and fails a cluster on a default parameter group (which keeps the
#   parameter at 0); the parameter's value in a custom group is not judged.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NEP-004
#   severity: medium
#   resource_types: [aws_neptune_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Add "audit" to enable_cloudwatch_logs_exports, attach a custom cluster
#     parameter group (neptune_cluster_parameter_group_name) that sets
#     neptune_enable_audit_log = 1, and give the log group a retention of at least
#     minimum_log_retention_days.
package checks.aws.neptune.audit_log_exports

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	exports := _exports(r)
	not "audit" in exports
	msg := sprintf("%s %q does not export its audit log to CloudWatch Logs (enable_cloudwatch_logs_exports = %v)", [
		r.type, r.name, r.attributes.enable_cloudwatch_logs_exports,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["enable_cloudwatch_logs_exports"]) if {
	some r in resources
	state := result.attribute_state(r, "enable_cloudwatch_logs_exports")
	state != "known"
	msg := sprintf("%s %q: enable_cloudwatch_logs_exports is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["enable_cloudwatch_logs_exports"]) if {
	some r in resources
	result.attribute_state(r, "enable_cloudwatch_logs_exports") == "known"
	not _exports(r)
	msg := sprintf("%s %q: enable_cloudwatch_logs_exports is not recorded (%v)", [r.type, r.name, r.attributes.enable_cloudwatch_logs_exports])
}

# Exporting the audit log type exports nothing while the parameter group keeps the
# audit log off; a default group cannot be changed and has it off.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	"audit" in _exports(r)
	result.attribute_state(r, "neptune_cluster_parameter_group_name") == "known"
	group := r.attributes.neptune_cluster_parameter_group_name
	is_string(group)
	startswith(lower(trim_space(group)), "default.")
	msg := sprintf("%s %q exports the audit log type, but its default cluster parameter group %q keeps neptune_enable_audit_log = 0, so no audit log is written", [
		r.type, r.name, group,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["neptune_cluster_parameter_group_name"]) if {
	some r in resources
	"audit" in _exports(r)
	state := result.attribute_state(r, "neptune_cluster_parameter_group_name")
	state != "known"
	msg := sprintf("%s %q: neptune_cluster_parameter_group_name is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["neptune_cluster_parameter_group_name"]) if {
	some r in resources
	"audit" in _exports(r)
	result.attribute_state(r, "neptune_cluster_parameter_group_name") == "known"
	group := r.attributes.neptune_cluster_parameter_group_name
	not _named(group)
	msg := sprintf("%s %q: neptune_cluster_parameter_group_name is not recorded (%v)", [r.type, r.name, group])
}

# The exported log types, lower-cased and trimmed, when recorded as a list of strings.
_exports(r) := {lower(trim_space(log)) | some log in r.attributes.enable_cloudwatch_logs_exports} if {
	result.attribute_state(r, "enable_cloudwatch_logs_exports") == "known"
	is_array(r.attributes.enable_cloudwatch_logs_exports)
	every log in r.attributes.enable_cloudwatch_logs_exports {
		is_string(log)
	}
}

_named(group) if {
	is_string(group)
	trim_space(group) != ""
}
