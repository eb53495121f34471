# METADATA
# title: RDS automated backup retention below the minimum
# description: >-
#   Automated backups and point-in-time restore are how a database is recovered
#   after corruption, deletion or ransomware; a retention shorter than the
#   configured minimum (0 turns backups off) leaves too short a window to notice
#   and recover.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-004
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     pci_dss: ["12.10.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13"]
#   remediation: >-
#     Set backup_retention_period to at least the minimum_backup_retention_days
#     parameter (7 by default, up to 35), and keep longer-term copies in AWS Backup.
package checks.aws.rds.backup_retention

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "backup_retention_period") == "known"
	minimum := params.value("minimum_backup_retention_days")
	r.attributes.backup_retention_period < minimum
	msg := sprintf("%s %q keeps automated backups for %d day(s), below the minimum of %d (backup_retention_period = %d)", [
		r.type, r.name, r.attributes.backup_retention_period, minimum, r.attributes.backup_retention_period,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["backup_retention_period"]) if {
	some r in resources
	state := result.attribute_state(r, "backup_retention_period")
	state != "known"
	msg := sprintf("%s %q: backup_retention_period is %s", [r.type, r.name, result.state_text[state]])
}
