# METADATA
# title: EFS file system without automatic backups
# description: >-
#   With its backup policy off (the default for file systems created through
#   the API, the CLI or Terraform), AWS Backup takes no daily backup of an
#   EFS file system, so a deleted directory, a bad deploy or ransomware
#   leaves nothing to restore from.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EFS-003
#   severity: medium
#   resource_types: [aws_efs_file_system]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     pci_dss: ["12.10.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13"]
#   remediation: >-
#     Add aws_efs_backup_policy with backup_policy { status = "ENABLED" }, or
#     cover the file system with an AWS Backup plan of your own.
package checks.aws.efs.automatic_backups

import data.lib.inventory
import data.lib.result

on_statuses := {"ENABLED", "ENABLING"}

off_statuses := {"DISABLED", "DISABLING"}

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "backup_policy") == "known"
	r.attributes.backup_policy == null
	msg := sprintf("EFS file system %q has no backup policy, so automatic backups are off", [r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "backup_policy.status") == "known"
	status := r.attributes.backup_policy.status
	_status(status) in off_statuses
	msg := sprintf("EFS file system %q has automatic backups off (backup_policy.status = %q)", [r.name, status])
}

findings contains result.indeterminate(metadata, r, msg, ["backup_policy"]) if {
	some r in resources
	state := result.attribute_state(r, "backup_policy")
	state != "known"
	msg := sprintf("EFS file system %q: backup_policy is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["backup_policy.status"]) if {
	some r in resources
	result.attribute_state(r, "backup_policy") == "known"
	is_object(r.attributes.backup_policy)
	state := result.attribute_state(r, "backup_policy.status")
	state != "known"
	msg := sprintf("EFS file system %q: backup_policy.status is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["backup_policy.status"]) if {
	some r in resources
	result.attribute_state(r, "backup_policy.status") == "known"
	status := r.attributes.backup_policy.status
	not _recognised(status)
	msg := sprintf("EFS file system %q: backup_policy.status is not a known status (%s)", [r.name, _text(status)])
}

findings contains result.indeterminate(metadata, r, msg, ["backup_policy"]) if {
	some r in resources
	result.attribute_state(r, "backup_policy") == "known"
	value := r.attributes.backup_policy
	value != null
	not is_object(value)
	msg := sprintf("EFS file system %q: backup_policy is not an object (%s)", [r.name, _text(value)])
}

_status(status) := upper(trim_space(status)) if is_string(status)

_recognised(status) if _status(status) in (on_statuses | off_statuses)

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
