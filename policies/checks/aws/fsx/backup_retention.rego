# METADATA
# title: FSx file system keeps too few automatic backups
# description: >-
#   With automatic backups off, or kept for fewer days than the backup
#   policy asks, a deleted share, a corrupted volume or ransomware leaves
#   nothing recent to restore.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-FSX-002
#   severity: medium
#   resource_types: [aws_fsx_lustre_file_system, aws_fsx_ontap_file_system, aws_fsx_openzfs_file_system, aws_fsx_windows_file_system]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     pci_dss: ["12.10.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13"]
#   remediation: >-
#     Set automatic_backup_retention_days to at least
#     minimum_backup_retention_days (and a
#     daily_automatic_backup_start_time), or protect the file system with an
#     AWS Backup plan.
package checks.aws.fsx.backup_retention

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); not _scratch(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "automatic_backup_retention_days") == "known"
	days := object.get(r.attributes, "automatic_backup_retention_days", null)
	_too_few(days)
	msg := sprintf("%s %q keeps automatic backups for %v days, fewer than %d", [_label[r.type], r.name, days, params.value("minimum_backup_retention_days")])
}

findings contains result.indeterminate(metadata, r, msg, ["automatic_backup_retention_days"]) if {
	some r in resources
	state := result.attribute_state(r, "automatic_backup_retention_days")
	state != "known"
	msg := sprintf("%s %q: automatic_backup_retention_days is %s", [_label[r.type], r.name, result.state_text[state]])
}

# null: no automatic backups.
_too_few(days) if days == null

_too_few(days) if {
	is_number(days)
	days < params.value("minimum_backup_retention_days")
}

# Scratch Lustre file systems cannot have backups: they are out of scope.
_scratch(r) if {
	r.type == "aws_fsx_lustre_file_system"
	startswith(object.get(r.attributes, "deployment_type", "SCRATCH_1"), "SCRATCH")
}

_label := {"aws_fsx_lustre_file_system": "FSx for Lustre file system", "aws_fsx_ontap_file_system": "FSx for ONTAP file system", "aws_fsx_openzfs_file_system": "FSx for OpenZFS file system", "aws_fsx_windows_file_system": "FSx for Windows file system"}
