package checks.aws.efs.encrypted_test

import data.checks.aws.efs.encrypted as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EFS-001",
	"title": "EFS file system not encrypted at rest",
	"description": "An EFS file system created without encryption keeps every file, and the metadata naming them, unencrypted on the storage AWS runs it on; encryption can only be chosen when the file system is created.",
	"severity": "high",
	"resource_types": ["aws_efs_file_system"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set encrypted = true (with kms_key_id naming a customer-managed key for classified data) and copy the data to the new file system; an existing file system cannot be encrypted in place.",
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

test_pass_encrypted if {
	r := _resource("aws_efs_file_system", "shared", {"encrypted": true}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_unencrypted if {
	r := _resource("aws_efs_file_system", "shared", {"encrypted": false}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "EFS file system \"shared\" stores files unencrypted (encrypted = false)")}
}

test_missing_encrypted if {
	r := _resource("aws_efs_file_system", "shared", {"creation_token": "shared"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "EFS file system \"shared\": encrypted is missing from the inventory", ["encrypted"])}
}

test_unknown_encrypted if {
	r := _resource("aws_efs_file_system", "shared", {}, {"unknown": ["encrypted"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "EFS file system \"shared\": encrypted is known only after apply", ["encrypted"])}
}

test_pass_out_of_scope_type if {
	r := _resource("aws_ebs_volume", "data", {"encrypted": false}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}
