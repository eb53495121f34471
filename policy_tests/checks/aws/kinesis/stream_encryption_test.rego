package checks.aws.kinesis.stream_encryption_test

import data.checks.aws.kinesis.stream_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-KIN-001",
	"title": "Kinesis stream not encrypted with KMS",
	"description": "Records stay in a stream for its whole retention period; without KMS server-side encryption they are stored unencrypted.",
	"severity": "medium",
	"resource_types": [
		"aws_kinesis_stream",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(a)",
		],
		"hipaa": [
			"164.312(a)(2)(iv)",
		],
		"pci_dss": [
			"3.5.1",
		],
		"soc2": [
			"CC6.1",
		],
		"iso27001": [
			"A.8.24",
		],
	},
	"remediation": "Set encryption_type = \"KMS\" and kms_key_id to a customer-managed KMS key (or alias/aws/kinesis) on the stream.",
}

_inventory(resources, parameters) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "terraform_plan", "scope": "plan.json", "status": "complete"}],
	"parameters": parameters,
	"resources": resources,
}

_resource(type, name, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": object.get(attributes, "tags", {}),
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_kms if {
	r := _resource("aws_kinesis_stream", "events", {"encryption_type": "KMS", "kms_key_id": "alias/aws/kinesis"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_none if {
	r := _resource("aws_kinesis_stream", "events", {"encryption_type": "NONE", "kms_key_id": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Kinesis stream \"events\" stores records unencrypted (encryption_type = NONE)")}
}

test_fail_null_type if {
	r := _resource("aws_kinesis_stream", "events", {"encryption_type": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Kinesis stream \"events\" stores records unencrypted (encryption_type = NONE)")}
}

test_fail_kms_without_key if {
	r := _resource("aws_kinesis_stream", "events", {"encryption_type": "KMS", "kms_key_id": ""}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Kinesis stream \"events\" has encryption_type KMS but no kms_key_id")}
}

test_missing_encryption_type if {
	r := _resource("aws_kinesis_stream", "events", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Kinesis stream \"events\": encryption_type is missing from the inventory", ["encryption_type"])}
}

test_unknown_kms_key if {
	r := _resource("aws_kinesis_stream", "events", {"encryption_type": "KMS"}, ["kms_key_id"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Kinesis stream \"events\": kms_key_id is known only after apply", ["kms_key_id"])}
}
