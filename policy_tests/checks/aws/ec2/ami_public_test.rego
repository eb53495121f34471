package checks.aws.ec2.ami_public_test

import data.checks.aws.ec2.ami_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-107",
	"title": "AMI shared publicly",
	"description": "A launch permission for the group \"all\" lets every AWS account launch the image and read its snapshots: everything baked into it (configuration, keys, application code, data left on the disk) is published.",
	"severity": "critical",
	"resource_types": ["aws_ami_launch_permission"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["7.2.1"],
		"soc2": ["CC6.1", "C1.1"],
		"iso27001": ["A.5.15", "A.8.12"],
	},
	"remediation": "Remove the launch permission with group = \"all\" and share the image with named accounts (account_id) or an organization (organization_arn); for a live image, modify-image-attribute --launch-permission \"Remove=[{Group=all}]\" and turn on the account's block public access for AMIs.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_ami_launch_permission.share"

_permission(attributes) := {
	"address": _address,
	"type": "aws_ami_launch_permission",
	"provider": "aws",
	"name": "share",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_account_permission if {
	r := _permission({"image_id": "ami-0123456789abcdef0", "account_id": "210987654321", "group": null})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_group_all if {
	r := _permission({"image_id": "ami-0123456789abcdef0", "group": "all", "account_id": null})
	check.findings == {expect.fail(_metadata, _address, "aws_ami_launch_permission", "AMI launch permission \"share\" makes image \"ami-0123456789abcdef0\" public (group = \"all\")")} with input as _inventory([r])
}

test_fail_image_id_unknown if {
	r := object.union(_permission({"group": "all"}), {"unknown": ["image_id"]})
	check.findings == {expect.fail(_metadata, _address, "aws_ami_launch_permission", "AMI launch permission \"share\" makes image (image id not known) public (group = \"all\")")} with input as _inventory([r])
}

test_unknown_group if {
	r := object.union(_permission({"image_id": "ami-0123456789abcdef0"}), {"unknown": ["group"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ami_launch_permission", "AMI launch permission \"share\": group is known only after apply", ["group"])} with input as _inventory([r])
}

test_missing_group if {
	r := _permission({"image_id": "ami-0123456789abcdef0"})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ami_launch_permission", "AMI launch permission \"share\": group is missing from the inventory", ["group"])} with input as _inventory([r])
}
