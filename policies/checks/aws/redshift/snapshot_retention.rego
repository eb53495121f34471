# METADATA
# title: Redshift automated snapshot retention below the minimum
# description: >-
#   Automated snapshots are how a Redshift cluster is restored after a bad
#   load, a dropped table or ransomware; kept for less than the configured
#   minimum (the default is one day, 0 turns them off) they leave too short a
#   window to notice the damage and recover.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RS-005
#   severity: medium
#   resource_types: [aws_redshift_cluster]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     pci_dss: ["12.10.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13"]
#   remediation: >-
#     Set automated_snapshot_retention_period to at least the
#     minimum_backup_retention_days parameter (7 by default, up to 35), and
#     keep longer-term copies as manual snapshots or in AWS Backup.
package checks.aws.redshift.snapshot_retention

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "automated_snapshot_retention_period") == "known"
	days := r.attributes.automated_snapshot_retention_period
	is_number(days)
	minimum := params.value("minimum_backup_retention_days")
	days < minimum
	msg := sprintf("Redshift cluster %q keeps automated snapshots for %d day(s), below the minimum of %d (automated_snapshot_retention_period = %d)", [r.name, days, minimum, days])
}

findings contains result.indeterminate(metadata, r, msg, ["automated_snapshot_retention_period"]) if {
	some r in resources
	state := result.attribute_state(r, "automated_snapshot_retention_period")
	state != "known"
	msg := sprintf("Redshift cluster %q: automated_snapshot_retention_period is %s", [r.name, result.state_text[state]])
}

# Terraform's default is 1 day, so an unset period is never null in a plan:
# null or any other non-number is not a recorded value.
findings contains result.indeterminate(metadata, r, msg, ["automated_snapshot_retention_period"]) if {
	some r in resources
	result.attribute_state(r, "automated_snapshot_retention_period") == "known"
	days := r.attributes.automated_snapshot_retention_period
	not is_number(days)
	msg := sprintf("Redshift cluster %q: automated_snapshot_retention_period is not a number of days (%s)", [r.name, _text(days)])
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
