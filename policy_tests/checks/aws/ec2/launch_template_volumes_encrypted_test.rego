package checks.aws.ec2.launch_template_volumes_encrypted_test

import data.checks.aws.ec2.launch_template_volumes_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-104",
	"title": "Launch template EBS volumes not encrypted",
	"description": "A launch template whose block device mappings do not ask for encryption launches unencrypted volumes wherever the account has no EBS encryption by default, for every instance and Auto Scaling group that uses it.",
	"severity": "high",
	"resource_types": ["aws_launch_template"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set ebs { encrypted = \"true\", kms_key_id = <customer key ARN> } in every block_device_mappings entry that maps an EBS volume, and publish the new template version as the default.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_launch_template.nodes"

_template(attributes) := {
	"address": _address,
	"type": "aws_launch_template",
	"provider": "aws",
	"name": "nodes",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_string_and_boolean if {
	r := _template({"block_device_mappings": [
		{"device_name": "/dev/xvda", "ebs": {"encrypted": "true", "volume_size": 40}},
		{"device_name": "/dev/xvdb", "ebs": {"encrypted": true}},
		{"device_name": "/dev/xvdc", "ebs": null, "virtual_name": "ephemeral0"},
	]})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_no_mappings if {
	count(check.findings) == 0 with input as _inventory([_template({"block_device_mappings": []})])
}

test_fail_false_and_unset if {
	r := _template({"block_device_mappings": [
		{"device_name": "/dev/xvda", "ebs": {"encrypted": "false"}},
		{"device_name": "/dev/xvdb", "ebs": {"encrypted": ""}},
		{"ebs": {"encrypted": null}},
		{"device_name": "/dev/xvdd", "ebs": {"encrypted": "TRUE"}},
	]})
	check.findings == {expect.fail(_metadata, _address, "aws_launch_template", "launch template \"nodes\" maps EBS volume(s) without encryption: /dev/xvda, /dev/xvdb, mapping 2")} with input as _inventory([r])
}

test_unknown_encrypted if {
	r := object.union(_template({"block_device_mappings": [{"device_name": "/dev/xvda", "ebs": {"volume_size": 40}}]}), {"unknown": ["block_device_mappings.0.ebs.encrypted"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_template", "launch template \"nodes\": block_device_mappings.0.ebs.encrypted is known only after apply", ["block_device_mappings.0.ebs.encrypted"])} with input as _inventory([r])
}

test_missing_encrypted if {
	r := _template({"block_device_mappings": [{"device_name": "/dev/xvda", "ebs": {"volume_size": 40}}]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_template", "launch template \"nodes\": block_device_mappings.0.ebs.encrypted is missing from the inventory", ["block_device_mappings.0.ebs.encrypted"])} with input as _inventory([r])
}

test_missing_mappings if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_template", "launch template \"nodes\": block_device_mappings is missing from the inventory", ["block_device_mappings"])} with input as _inventory([_template({})])
}

test_unknown_mappings if {
	r := object.union(_template({}), {"unknown": ["block_device_mappings"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_template", "launch template \"nodes\": block_device_mappings is known only after apply", ["block_device_mappings"])} with input as _inventory([r])
}
