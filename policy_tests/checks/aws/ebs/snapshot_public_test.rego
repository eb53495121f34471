package checks.aws.ebs.snapshot_public_test

import data.checks.aws.ebs.snapshot_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EBS-004",
	"title": "EBS snapshot shared publicly",
	"description": "A snapshot whose create-volume permission includes the group \"all\" can be restored by any AWS account, publishing the whole volume it was taken from.",
	"severity": "critical",
	"resource_types": ["aws_ebs_snapshot", "aws_ebs_snapshot_copy"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["7.2.1"],
		"soc2": ["CC6.1", "C1.1"],
		"iso27001": ["A.5.15", "A.8.12"],
	},
	"remediation": "Remove the public permission (modify-snapshot-attribute --attribute createVolumePermission --operation-type remove --group-names all), share only with named accounts (aws_snapshot_create_volume_permission), and turn on the account's block public access for snapshots.",
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

test_pass_private_and_named_accounts if {
	r := _snapshot({"encrypted": true, "shared_accounts": ["210987654321"]})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.findings) == 0 with input as _inventory([_snapshot({"shared_accounts": []})])
	check.resources == {r} with input as _inventory([r])
}

test_fail_public if {
	r := _snapshot({"encrypted": false, "shared_accounts": ["210987654321", "All"]})
	check.findings == {expect.fail(_metadata, _address, "aws_ebs_snapshot", "EBS snapshot \"nightly-db\" is public: any AWS account can create a volume from it (shared_accounts contains \"all\")")} with input as _inventory([r])
}

# A plan does not hold the snapshot's permissions.
test_missing_shared_accounts if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ebs_snapshot", "EBS snapshot \"nightly-db\": shared_accounts is missing from the inventory", ["shared_accounts"])} with input as _inventory([_snapshot({"encrypted": true})])
}

test_unknown_shared_accounts if {
	r := object.union(_snapshot({}), {"unknown": ["shared_accounts"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ebs_snapshot", "EBS snapshot \"nightly-db\": shared_accounts is known only after apply", ["shared_accounts"])} with input as _inventory([r])
}
