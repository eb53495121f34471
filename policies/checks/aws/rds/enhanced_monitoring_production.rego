# METADATA
# title: Production RDS instance without Enhanced Monitoring
# description: >-
#   CloudWatch's standard RDS metrics come from the hypervisor once a minute;
#   Enhanced Monitoring samples the database host's own CPU, memory, file
#   system and process list, which is what shows a saturated or misbehaving
#   production database before it fails. An interval of 0 (the default) turns
#   it off.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-014
#   severity: low
#   resource_types: [aws_db_instance]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     soc2: ["CC7.2", "A1.1"]
#     iso27001: ["A.8.16", "A.8.6"]
#   remediation: >-
#     Set monitoring_interval to 1, 5, 10, 15, 30 or 60 seconds and
#     monitoring_role_arn to a role trusted by monitoring.rds.amazonaws.com
#     with the AmazonRDSEnhancedMonitoringRole policy.
package checks.aws.rds.enhanced_monitoring_production

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only instances tagged as production are in scope.
resources := {r | some r in inventory.of(metadata); tags.production(r)}

# 0 and null (never set: the AWS and Terraform default is 0) both mean off.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "monitoring_interval") == "known"
	interval := r.attributes.monitoring_interval
	_off(interval)
	msg := sprintf("production %s %q has Enhanced Monitoring off (monitoring_interval = %v)", [r.type, r.name, interval])
}

findings contains result.indeterminate(metadata, r, msg, ["monitoring_interval"]) if {
	some r in resources
	state := result.attribute_state(r, "monitoring_interval")
	state != "known"
	msg := sprintf("%s %q: monitoring_interval is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["monitoring_interval"]) if {
	some r in resources
	result.attribute_state(r, "monitoring_interval") == "known"
	interval := r.attributes.monitoring_interval
	not _off(interval)
	not _on(interval)
	msg := sprintf("%s %q: monitoring_interval is not a number of seconds (%s)", [r.type, r.name, _text(interval)])
}

_off(interval) if interval == null

_off(interval) if interval == 0

_on(interval) if {
	is_number(interval)
	interval > 0
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
