package checks.aws.ec2.ami_encrypted_test

import data.checks.aws.ec2.ami_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-108",
	"title": "AMI snapshots not encrypted",
	"description": "An image whose EBS block devices are unencrypted stores its snapshots in clear, and every instance launched from it starts with unencrypted volumes unless the account encrypts by default.",
	"severity": "medium",
	"resource_types": ["aws_ami"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Register the image from encrypted snapshots (encrypted = true in every ebs_block_device), or copy it with aws_ami_copy { encrypted = true, kms_key_id = <customer key> } and deregister the unencrypted one.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_address := "arn:aws:ec2:eu-west-1::image/ami-0123456789abcdef0"

_ami(attributes) := {
	"address": _address,
	"type": "aws_ami",
	"provider": "aws",
	"name": "golden-2026-12",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted if {
	r := _ami({"ebs_block_device": [{"device_name": "/dev/xvda", "encrypted": true, "snapshot_id": "snap-01"}]})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_unencrypted if {
	r := _ami({"ebs_block_device": [{"device_name": "/dev/xvda", "encrypted": false}, {"device_name": "/dev/xvdb", "encrypted": true}]})
	check.findings == {expect.fail(_metadata, _address, "aws_ami", "AMI \"golden-2026-12\" has unencrypted EBS snapshot(s): /dev/xvda")} with input as _inventory([r])
}

test_unknown_encrypted if {
	r := object.union(_ami({"ebs_block_device": [{"device_name": "/dev/xvda"}]}), {"unknown": ["ebs_block_device.0.encrypted"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ami", "AMI \"golden-2026-12\": ebs_block_device.0.encrypted is known only after apply", ["ebs_block_device.0.encrypted"])} with input as _inventory([r])
}

test_missing_devices if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ami", "AMI \"golden-2026-12\": ebs_block_device is missing from the inventory", ["ebs_block_device"])} with input as _inventory([_ami({})])
}

test_fail_unnamed_device if {
	r := _ami({"ebs_block_device": [{"encrypted": false, "device_name": null}]})
	check.findings == {expect.fail(_metadata, _address, "aws_ami", "AMI \"golden-2026-12\" has unencrypted EBS snapshot(s): device 0")} with input as _inventory([r])
}

test_missing_device_encrypted if {
	r := _ami({"ebs_block_device": [{"device_name": "/dev/xvda"}]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ami", "AMI \"golden-2026-12\": ebs_block_device.0.encrypted is missing from the inventory", ["ebs_block_device.0.encrypted"])} with input as _inventory([r])
}
