package checks.aws.ebs.volume_encrypted_test

import data.checks.aws.ebs.volume_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EBS-001",
	"title": "EBS volume not encrypted at rest",
	"description": "An unencrypted EBS volume leaves its data, and every snapshot taken of it, readable to anyone who can copy or attach the volume or a snapshot.",
	"severity": "high",
	"resource_types": ["aws_ebs_volume"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set encrypted = true with a customer-managed kms_key_id. An existing volume cannot be encrypted in place: snapshot it, copy the snapshot with encryption, create a volume from the copy and swap it in.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_volume(attributes) := {
	"address": "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a1b2c3d4e5f60001",
	"type": "aws_ebs_volume",
	"provider": "aws",
	"name": "etl-scratch",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted_volume if {
	r := _volume({"size": 100, "encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000013"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_unencrypted_volume if {
	r := _volume({"size": 100, "encrypted": false, "kms_key_id": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a1b2c3d4e5f60001", "aws_ebs_volume",
		"EBS volume \"etl-scratch\" stores data unencrypted (encrypted = false)",
	)}
}

test_missing_encrypted if {
	r := _volume({"size": 100})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a1b2c3d4e5f60001", "aws_ebs_volume",
		"EBS volume \"etl-scratch\": encrypted is missing from the inventory", ["encrypted"],
	)}
}

# A plan leaves encrypted unknown when encryption by default decides it.
test_unknown_encrypted if {
	r := object.union(_volume({"size": 100, "encrypted": false}), {"unknown": ["encrypted"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a1b2c3d4e5f60001", "aws_ebs_volume",
		"EBS volume \"etl-scratch\": encrypted is known only after apply", ["encrypted"],
	)}
}

test_pass_unknown_lists_other_attributes if {
	r := object.union(_volume({"encrypted": true}), {"unknown": ["kms_key_id"]})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	instance := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"encrypted": false},
	}
	count(check.findings) == 0 with input as _inventory([instance])
	count(check.resources) == 0 with input as _inventory([instance])
}
