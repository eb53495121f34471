package checks.aws.ebs.classified_customer_key_test

import data.checks.aws.ebs.classified_customer_key as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EBS-005",
	"title": "EBS volume holding classified data not encrypted with a customer-managed KMS key",
	"description": "A volume holding classified data (personal, health, card or confidential) must be encrypted under a customer-managed KMS key, whose key policy decides who may attach, snapshot and copy it and whose use is audited and revocable; the AWS-managed key (alias/aws/ebs) serves anyone allowed to use EBS in the account.",
	"severity": "medium",
	"resource_types": ["aws_ebs_volume"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1", "3.6.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Create a customer-managed KMS key limited to the workload's roles and set encrypted = true with kms_key_id on the volume. An existing volume cannot change key: snapshot it, copy the snapshot with the new key and create the volume from the copy.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0a1b2c3d4e5f60040"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_volume(tags, attributes) := {
	"address": _address,
	"type": "aws_ebs_volume",
	"provider": "aws",
	"name": "patients-db-data",
	"tags": tags,
	"attributes": object.union({"availability_zone": "eu-west-1a", "size": 200, "type": "gp3"}, attributes),
}

_phi := {"DataClassification": "phi, pii"}

_cmk := "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666"

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_customer_managed_key if {
	r := _volume(_phi, {"encrypted": true, "kms_key_id": _cmk})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_aws_managed_key if {
	_findings(_volume(_phi, {"encrypted": true, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:alias/aws/ebs"})) == {expect.fail(
		_metadata, _address, "aws_ebs_volume",
		"EBS volume \"patients-db-data\" holds classified data (phi, pii) without a customer-managed KMS key (kms_key_id = \"arn:aws:kms:eu-west-1:123456789012:alias/aws/ebs\")",
	)}
}

test_fail_unencrypted if {
	_findings(_volume(_phi, {"encrypted": false, "kms_key_id": null})) == {expect.fail(
		_metadata, _address, "aws_ebs_volume",
		"EBS volume \"patients-db-data\" holds classified data (phi, pii) unencrypted (encrypted = false)",
	)}

	# A plan leaves the key unknown; encrypted = false decides anyway.
	r := object.union(_volume(_phi, {"encrypted": false}), {"unknown": ["kms_key_id"]})
	_findings(r) == {expect.fail(
		_metadata, _address, "aws_ebs_volume",
		"EBS volume \"patients-db-data\" holds classified data (phi, pii) unencrypted (encrypted = false)",
	)}
}

test_fail_no_key_recorded if {
	_findings(_volume(_phi, {"kms_key_id": ""})) == {expect.fail(
		_metadata, _address, "aws_ebs_volume",
		"EBS volume \"patients-db-data\" holds classified data (phi, pii) without a customer-managed KMS key (kms_key_id = \"\")",
	)}
}

test_pass_unclassified_volume_out_of_scope if {
	r := _volume({"DataClassification": "public"}, {"encrypted": false})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

test_missing_kms_key_id if {
	_findings(_volume(_phi, {"encrypted": true})) == {expect.indeterminate(
		_metadata, _address, "aws_ebs_volume",
		"EBS volume \"patients-db-data\": kms_key_id is missing from the inventory", ["kms_key_id"],
	)}
}

test_unknown_kms_key_id if {
	r := object.union(_volume(_phi, {"encrypted": true}), {"unknown": ["kms_key_id"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_ebs_volume",
		"EBS volume \"patients-db-data\": kms_key_id is known only after apply", ["kms_key_id"],
	)}
}
