# METADATA
# title: CloudWatch log group retention shorter than required
# description: >-
#   A log group that expires events before the required retention
#   (minimum_log_retention_days) loses the audit history investigations and
#   assessors need. A retention of 0 or null means events never expire.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CWL-001
#   severity: medium
#   resource_types: [aws_cloudwatch_log_group]
#   controls:
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.5.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.5.28"]
#   remediation: >-
#     Set retention_in_days to at least the required retention (365 days by
#     default), or export the logs to an archive that keeps them that long.
package checks.aws.cloudwatch.log_retention

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "retention_in_days") == "known"
	days := r.attributes.retention_in_days
	is_number(days)
	days > 0
	minimum := params.value("minimum_log_retention_days")
	days < minimum
	msg := sprintf("CloudWatch log group %q keeps events %d days, less than the required %d", [r.name, days, minimum])
}

findings contains result.indeterminate(metadata, r, msg, ["retention_in_days"]) if {
	some r in resources
	state := result.attribute_state(r, "retention_in_days")
	state != "known"
	msg := sprintf("CloudWatch log group %q: retention_in_days is %s", [r.name, result.state_text[state]])
}
