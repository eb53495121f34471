# METADATA
# title: Neptune backup retention below the minimum
# description: >-
#   Neptune's continuous backups and point-in-time restore are how a graph is
#   recovered after corruption, a bad bulk load or deletion; a retention shorter
#   than the configured minimum (Neptune keeps 1 day unless told otherwise) leaves
#   too short a window to notice and recover.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NEP-005
#   severity: medium
#   resource_types: [aws_neptune_cluster]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     pci_dss: ["12.10.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13"]
#   remediation: >-
#     Set backup_retention_period to at least the minimum_backup_retention_days
#     parameter (7 by default, up to 35), and keep longer-term copies in AWS Backup.
package checks.aws.neptune.backup_retention

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "backup_retention_period") == "known"
	days := r.attributes.backup_retention_period
	is_number(days)
	minimum := params.value("minimum_backup_retention_days")
	days < minimum
	msg := sprintf("%s %q keeps backups for %d day(s), below the minimum of %d (backup_retention_period = %d)", [
		r.type, r.name, days, minimum, days,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["backup_retention_period"]) if {
	some r in resources
	state := result.attribute_state(r, "backup_retention_period")
	state != "known"
	msg := sprintf("%s %q: backup_retention_period is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["backup_retention_period"]) if {
	some r in resources
	result.attribute_state(r, "backup_retention_period") == "known"
	not is_number(r.attributes.backup_retention_period)
	msg := sprintf("%s %q: backup_retention_period is not recorded (%v)", [r.type, r.name, r.attributes.backup_retention_period])
}
