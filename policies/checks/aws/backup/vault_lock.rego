# METADATA
# title: AWS Backup vault without Vault Lock
# description: >-
#   Without Vault Lock, anyone with the right permissions, including an attacker
#   with stolen credentials, can delete recovery points or shorten their
#   retention, so the backups are not protected against ransomware or
#   malicious deletion.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-BKP-001
#   severity: medium
#   resource_types: [aws_backup_vault]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)", "164.312(c)(1)"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13", "A.5.33"]
#   remediation: >-
#     Add an aws_backup_vault_lock_configuration with min_retention_days and
#     max_retention_days, and changeable_for_days to lock it in compliance mode
#     once tested.
package checks.aws.backup.vault_lock

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "lock_configuration") == "known"
	not is_object(r.attributes.lock_configuration)
	msg := sprintf("%s %q has no Vault Lock: its recovery points can be deleted (lock_configuration = null)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["lock_configuration"]) if {
	some r in resources
	state := result.attribute_state(r, "lock_configuration")
	state != "known"
	msg := sprintf("%s %q: lock_configuration is %s", [r.type, r.name, result.state_text[state]])
}
