package checks.aws.fsx.classified_customer_key_test

import data.checks.aws.fsx.classified_customer_key as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-FSX-001",
	"title": "Classified FSx file system not encrypted with a customer-managed key",
	"description": "FSx encrypts every file system, but with the AWS-managed key unless told otherwise; for classified data that leaves key access, rotation and revocation outside your control and your key policy's audit trail.",
	"severity": "medium",
	"resource_types": ["aws_fsx_lustre_file_system", "aws_fsx_ontap_file_system", "aws_fsx_openzfs_file_system", "aws_fsx_windows_file_system"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1", "3.6.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Create the file system with kms_key_id naming a customer-managed KMS key whose policy limits use to the file system's service and administrators; the key cannot be changed in place.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
		"attributes": attributes,
	},
	extra,
)

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_customer_key if {
	r := _resource("aws_fsx_windows_file_system", "shares", {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1a2b"}, {"tags": {"DataClassification": "confidential"}})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_no_key if {
	r := _resource("aws_fsx_lustre_file_system", "scratch", {"kms_key_id": null}, {"tags": {"DataClassification": "confidential"}})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "FSx for Lustre file system \"scratch\" holds classified data under the AWS-managed key, not a customer-managed one (kms_key_id = null)")}
}

test_fail_aws_managed_alias if {
	r := _resource("aws_fsx_ontap_file_system", "nas", {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:alias/aws/fsx"}, {"tags": {"DataClassification": "confidential"}})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "FSx for ONTAP file system \"nas\" holds classified data under the AWS-managed key, not a customer-managed one (kms_key_id = arn:aws:kms:eu-west-1:123456789012:alias/aws/fsx)")}
}

test_missing_key if {
	r := _resource("aws_fsx_openzfs_file_system", "zfs", {"storage_capacity": 64}, {"tags": {"DataClassification": "confidential"}})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "FSx for OpenZFS file system \"zfs\": kms_key_id is missing from the inventory", ["kms_key_id"])}
}

test_unknown_key if {
	r := _resource("aws_fsx_windows_file_system", "shares", {}, {"tags": {"DataClassification": "confidential"}, "unknown": ["kms_key_id"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "FSx for Windows file system \"shares\": kms_key_id is known only after apply", ["kms_key_id"])}
}

test_pass_out_of_scope_unclassified if {
	r := _resource("aws_fsx_windows_file_system", "shares", {"kms_key_id": null}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}
