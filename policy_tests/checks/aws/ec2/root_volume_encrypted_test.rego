package checks.aws.ec2.root_volume_encrypted_test

import data.checks.aws.ec2.root_volume_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-102",
	"title": "Instance root volume not encrypted",
	"description": "The root volume holds the operating system, its logs, swap and often application data; unencrypted, it and every snapshot or AMI made from it can be read by anyone who can copy or attach them.",
	"severity": "high",
	"resource_types": ["aws_instance", "aws_launch_configuration"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set root_block_device { encrypted = true, kms_key_id = <customer key> } (and turn on EBS encryption by default for the account). A running instance's root volume cannot be encrypted in place: create an encrypted AMI copy and relaunch from it.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "module.app.aws_instance.web"

_instance(attributes) := {
	"address": _address,
	"type": "aws_instance",
	"provider": "aws",
	"name": "web",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_root if {
	r := _instance({"root_block_device": {"encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000013", "volume_size": 50}})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_encrypted_root_key_unknown if {
	r := object.union(_instance({"root_block_device": {"encrypted": true}}), {"unknown": ["root_block_device.kms_key_id", "root_block_device.volume_id"]})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_unencrypted_root if {
	r := _instance({"root_block_device": {"encrypted": false, "volume_size": 50}})
	check.findings == {expect.fail(_metadata, _address, "aws_instance", "aws_instance \"web\" has an unencrypted root volume (root_block_device.encrypted = false)")} with input as _inventory([r])
}

test_fail_launch_configuration if {
	r := object.union(_instance({"root_block_device": {"encrypted": false}}), {"type": "aws_launch_configuration", "name": "lc"})
	check.findings == {expect.fail(_metadata, _address, "aws_launch_configuration", "aws_launch_configuration \"lc\" has an unencrypted root volume (root_block_device.encrypted = false)")} with input as _inventory([r])
}

# The infracost fixture: root_block_device set without encrypted, which the
# provider computes.
test_unknown_encrypted if {
	r := object.union(_instance({"root_block_device": {"delete_on_termination": true, "volume_size": 50}}), {"unknown": ["root_block_device.encrypted", "root_block_device.kms_key_id"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"web\": root_block_device.encrypted is known only after apply", ["root_block_device.encrypted"])} with input as _inventory([r])
}

test_missing_encrypted if {
	r := _instance({"root_block_device": {"volume_size": 50}})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"web\": root_block_device.encrypted is missing from the inventory", ["root_block_device.encrypted"])} with input as _inventory([r])
}

test_unknown_block if {
	r := object.union(_instance({"instance_type": "t3.micro"}), {"unknown": ["root_block_device"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"web\": root_block_device is known only after apply", ["root_block_device"])} with input as _inventory([r])
}

test_missing_block if {
	r := _instance({"instance_type": "t3.micro"})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"web\": root_block_device is missing from the inventory", ["root_block_device"])} with input as _inventory([r])
}

test_missing_null_block_depends_on_ami if {
	r := _instance({"root_block_device": null})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"web\" sets no root_block_device: whether the root volume is encrypted depends on the AMI and the account's EBS encryption by default", ["root_block_device"])} with input as _inventory([r])
}
