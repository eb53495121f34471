package checks.aws.ebs.snapshot_encrypted_test

import data.checks.aws.ebs.snapshot_encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EBS-003",
	"title": "EBS snapshot not encrypted",
	"description": "An unencrypted snapshot is a full copy of a volume's data that anyone it is shared with, or who can copy it, can restore and read.",
	"severity": "high",
	"resource_types": ["aws_ebs_snapshot", "aws_ebs_snapshot_copy"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24", "A.8.13"],
	},
	"remediation": "Snapshot encrypted volumes only (a snapshot inherits the volume's encryption); copy existing unencrypted snapshots with aws_ebs_snapshot_copy { encrypted = true, kms_key_id = <customer key> } and delete the originals.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_address := "arn:aws:ec2:eu-west-1:123456789012:snapshot/snap-0a1b2c3d4e5f60001"

_snapshot(attributes) := {
	"address": _address,
	"type": "aws_ebs_snapshot",
	"provider": "aws",
	"name": "nightly-db",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_encrypted if {
	r := _snapshot({"volume_id": "vol-01", "encrypted": true})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_unencrypted if {
	r := _snapshot({"volume_id": "vol-01", "encrypted": false})
	check.findings == {expect.fail(_metadata, _address, "aws_ebs_snapshot", "EBS snapshot \"nightly-db\" is not encrypted (encrypted = false)")} with input as _inventory([r])
}

test_fail_copy_not_encrypted if {
	r := object.union(_snapshot({"source_snapshot_id": "snap-02", "encrypted": null}), {"type": "aws_ebs_snapshot_copy"})
	check.findings == {expect.fail(_metadata, _address, "aws_ebs_snapshot_copy", "EBS snapshot \"nightly-db\" is not encrypted (encrypted = null)")} with input as _inventory([r])
}

# The checkov fixture's snapshot: encrypted comes from the volume after apply.
test_unknown_encrypted if {
	r := object.union(_snapshot({"description": "db"}), {"unknown": ["encrypted", "kms_key_id", "volume_id"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ebs_snapshot", "EBS snapshot \"nightly-db\": encrypted is known only after apply", ["encrypted"])} with input as _inventory([r])
}

test_missing_encrypted if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ebs_snapshot", "EBS snapshot \"nightly-db\": encrypted is missing from the inventory", ["encrypted"])} with input as _inventory([_snapshot({"volume_id": "vol-01"})])
}
