package checks.aws.ecs.efs_transit_encryption_test

import data.checks.aws.ecs.efs_transit_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECS-005",
	"title": "ECS task mounts EFS without encryption in transit",
	"description": "An EFS volume mounted without transit encryption sends the file system's data in clear NFS traffic between the task and the mount target.",
	"severity": "medium",
	"resource_types": ["aws_ecs_task_definition"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Set transit_encryption = \"ENABLED\" in every efs_volume_configuration (and authorization_config { iam = \"ENABLED\" } to use the task role), and require TLS in the file system policy (aws:SecureTransport).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_ecs_task_definition.api"

_task(attributes) := {
	"address": _address,
	"type": "aws_ecs_task_definition",
	"provider": "aws",
	"name": "api",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_and_non_efs if {
	r := _task({"volume": [
		{"name": "shared", "efs_volume_configuration": {"file_system_id": "fs-01", "transit_encryption": "ENABLED"}},
		{"name": "scratch", "efs_volume_configuration": null},
	]})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.findings) == 0 with input as _inventory([_task({"volume": []})])
	count(check.findings) == 0 with input as _inventory([_task({"volume": null})])
	check.resources == {r} with input as _inventory([r])
}

test_fail_transit_off if {
	r := _task({"volume": [
		{"name": "shared", "efs_volume_configuration": {"file_system_id": "fs-01", "transit_encryption": "DISABLED"}},
		{"efs_volume_configuration": {"file_system_id": "fs-02", "transit_encryption": null}},
	]})
	check.findings == {expect.fail(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\" mounts EFS without encryption in transit: shared, volume 1")} with input as _inventory([r])
}

test_unknown_transit if {
	r := object.union(_task({"volume": [{"name": "shared", "efs_volume_configuration": {"file_system_id": "fs-01"}}]}), {"unknown": ["volume.0.efs_volume_configuration.transit_encryption"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\": volume.0.efs_volume_configuration.transit_encryption known only after apply", ["volume.0.efs_volume_configuration.transit_encryption"])} with input as _inventory([r])
}

test_missing_volume if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\": volume is missing from the inventory", ["volume"])} with input as _inventory([_task({"family": "api"})])
}
