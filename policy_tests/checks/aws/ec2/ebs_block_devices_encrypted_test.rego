package checks.aws.ec2.ebs_block_devices_encrypted_test

import data.checks.aws.ec2.ebs_block_devices_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-103",
	"title": "Instance EBS data volumes not encrypted",
	"description": "EBS volumes attached through an instance's or launch configuration's ebs_block_device blocks hold application data; unencrypted, the volumes and their snapshots are readable to anyone who can copy or attach them.",
	"severity": "high",
	"resource_types": ["aws_instance", "aws_launch_configuration"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set encrypted = true (with a customer-managed kms_key_id) in every ebs_block_device block, and turn on EBS encryption by default. Existing volumes are encrypted by snapshot, encrypted copy and swap.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_launch_configuration.workers"

_lc(attributes) := {
	"address": _address,
	"type": "aws_launch_configuration",
	"provider": "aws",
	"name": "workers",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_all_encrypted if {
	r := _lc({"ebs_block_device": [{"device_name": "/dev/sdf", "encrypted": true}, {"device_name": "/dev/sdg", "encrypted": true}]})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_no_data_volumes if {
	count(check.findings) == 0 with input as _inventory([_lc({"ebs_block_device": []})])
	count(check.findings) == 0 with input as _inventory([_lc({"ebs_block_device": null})])
}

test_fail_one_unencrypted if {
	r := _lc({"ebs_block_device": [{"device_name": "/dev/sdf", "encrypted": true}, {"device_name": "/dev/sdg", "encrypted": false}, {"encrypted": null}]})
	check.findings == {expect.fail(_metadata, _address, "aws_launch_configuration", "aws_launch_configuration \"workers\" has unencrypted EBS volume(s): /dev/sdg, device 2")} with input as _inventory([r])
}

# A failing device decides even when another is not known yet.
test_fail_wins_over_unknown if {
	r := object.union(_lc({"ebs_block_device": [{"device_name": "/dev/sdf"}, {"device_name": "/dev/sdg", "encrypted": false}]}), {"unknown": ["ebs_block_device.0.encrypted"]})
	check.findings == {expect.fail(_metadata, _address, "aws_launch_configuration", "aws_launch_configuration \"workers\" has unencrypted EBS volume(s): /dev/sdg")} with input as _inventory([r])
}

# The infracost fixture: the data volume's encrypted is computed.
test_unknown_device_encrypted if {
	r := object.union(_lc({"ebs_block_device": [{"device_name": "my_data", "volume_size": 1000}]}), {"unknown": ["ebs_block_device.0.encrypted", "ebs_block_device.0.kms_key_id"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_configuration", "aws_launch_configuration \"workers\": ebs_block_device.0.encrypted is known only after apply", ["ebs_block_device.0.encrypted"])} with input as _inventory([r])
}

test_missing_device_encrypted if {
	r := _lc({"ebs_block_device": [{"device_name": "/dev/sdf", "encrypted": true}, {"device_name": "/dev/sdg"}]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_configuration", "aws_launch_configuration \"workers\": ebs_block_device.1.encrypted is missing from the inventory", ["ebs_block_device.1.encrypted"])} with input as _inventory([r])
}

test_unknown_list if {
	r := object.union(_lc({}), {"unknown": ["ebs_block_device"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_configuration", "aws_launch_configuration \"workers\": ebs_block_device is known only after apply", ["ebs_block_device"])} with input as _inventory([r])
}

test_missing_list if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_configuration", "aws_launch_configuration \"workers\": ebs_block_device is missing from the inventory", ["ebs_block_device"])} with input as _inventory([_lc({})])
}
