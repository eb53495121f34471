# METADATA
# title: AWS Backup Vault Lock minimum retention below the minimum
# description: >-
#   Vault Lock only protects recovery points for its minimum retention; a lock
#   without one, or with a shorter one than the configured minimum, still lets
#   recovery points be deleted early.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-BKP-002
#   severity: low
#   resource_types: [aws_backup_vault]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     pci_dss: ["12.10.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13", "A.5.33"]
#   remediation: >-
#     Set the vault lock's min_retention_days to at least the
#     minimum_backup_retention_days parameter (7 by default).
package checks.aws.backup.lock_min_retention

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# A vault without a lock is AWS-BKP-001's finding, not this check's.
resources := {r | some r in inventory.of(metadata); not _unlocked(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "lock_configuration.min_retention_days") == "known"
	not is_number(r.attributes.lock_configuration.min_retention_days)
	msg := sprintf("%s %q has a Vault Lock without a minimum retention (lock_configuration.min_retention_days = null)", [r.type, r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "lock_configuration.min_retention_days") == "known"
	days := r.attributes.lock_configuration.min_retention_days
	is_number(days)
	minimum := params.value("minimum_backup_retention_days")
	days < minimum
	msg := sprintf("%s %q locks recovery points for %d day(s), below the minimum of %d (lock_configuration.min_retention_days = %d)", [
		r.type, r.name, days, minimum, days,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["lock_configuration.min_retention_days"]) if {
	some r in resources
	state := result.attribute_state(r, "lock_configuration.min_retention_days")
	state != "known"
	msg := sprintf("%s %q: lock_configuration.min_retention_days is %s", [r.type, r.name, result.state_text[state]])
}

_unlocked(r) if {
	result.attribute_state(r, "lock_configuration") == "known"
	not is_object(r.attributes.lock_configuration)
}
