package checks.aws.fsx.backup_retention_test

import data.checks.aws.fsx.backup_retention as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-FSX-002",
	"title": "FSx file system keeps too few automatic backups",
	"description": "With automatic backups off, or kept for fewer days than the backup policy asks, a deleted share, a corrupted volume or ransomware leaves nothing recent to restore.",
	"severity": "medium",
	"resource_types": ["aws_fsx_lustre_file_system", "aws_fsx_ontap_file_system", "aws_fsx_openzfs_file_system", "aws_fsx_windows_file_system"],
	"controls": {
		"gdpr": ["Art.32(1)(c)"],
		"hipaa": ["164.308(a)(7)(ii)(A)"],
		"pci_dss": ["12.10.1"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.13"],
	},
	"remediation": "Set automatic_backup_retention_days to at least minimum_backup_retention_days (and a daily_automatic_backup_start_time), or protect the file system with an AWS Backup plan.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
		"attributes": attributes,
	},
	extra,
)

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_week_of_backups if {
	r := _resource("aws_fsx_windows_file_system", "shares", {"automatic_backup_retention_days": 7}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_persistent_lustre if {
	r := _resource("aws_fsx_lustre_file_system", "hpc", {"deployment_type": "PERSISTENT_2", "automatic_backup_retention_days": 30}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_backups_off if {
	r := _resource("aws_fsx_ontap_file_system", "nas", {"automatic_backup_retention_days": 0}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "FSx for ONTAP file system \"nas\" keeps automatic backups for 0 days, fewer than 7")}
}

test_fail_below_parameter if {
	r := _resource("aws_fsx_windows_file_system", "shares", {"automatic_backup_retention_days": 7}, {})
	findings := _findings(r, {"minimum_backup_retention_days": 14})
	findings == {expect.fail(_metadata, r.address, r.type, "FSx for Windows file system \"shares\" keeps automatic backups for 7 days, fewer than 14")}
}

test_fail_null_retention if {
	r := _resource("aws_fsx_openzfs_file_system", "zfs", {"automatic_backup_retention_days": null}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "FSx for OpenZFS file system \"zfs\" keeps automatic backups for null days, fewer than 7")}
}

test_missing_retention if {
	r := _resource("aws_fsx_windows_file_system", "shares", {"storage_capacity": 32}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "FSx for Windows file system \"shares\": automatic_backup_retention_days is missing from the inventory", ["automatic_backup_retention_days"])}
}

test_unknown_retention if {
	r := _resource("aws_fsx_lustre_file_system", "hpc", {"deployment_type": "PERSISTENT_1"}, {"unknown": ["automatic_backup_retention_days"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "FSx for Lustre file system \"hpc\": automatic_backup_retention_days is known only after apply", ["automatic_backup_retention_days"])}
}

test_pass_out_of_scope_scratch_lustre if {
	r := _resource("aws_fsx_lustre_file_system", "scratch", {"deployment_type": "SCRATCH_2", "automatic_backup_retention_days": 0}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}
