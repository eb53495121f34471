package checks.aws.sns.kms_encryption_test

import data.checks.aws.sns.kms_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SNS-001",
	"title": "SNS topic not encrypted with KMS",
	"description": "Messages wait in the topic until delivered; without server-side encryption they are stored in plain text, outside any key policy you control.",
	"severity": "medium",
	"resource_types": [
		"aws_sns_topic",
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
	"remediation": "Set kms_master_key_id on the topic to a customer-managed KMS key (or alias/aws/sns at least) whose policy lets the publishing services use it.",
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

test_pass_key_set if {
	r := _resource("aws_sns_topic", "alerts", {"kms_master_key_id": "alias/aws/sns"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_empty_key if {
	r := _resource("aws_sns_topic", "alerts", {"kms_master_key_id": ""}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "SNS topic \"alerts\" stores messages unencrypted (kms_master_key_id not set)")}
}

test_fail_null_key if {
	r := _resource("aws_sns_topic", "alerts", {"kms_master_key_id": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "SNS topic \"alerts\" stores messages unencrypted (kms_master_key_id not set)")}
}

test_missing_key if {
	r := _resource("aws_sns_topic", "alerts", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SNS topic \"alerts\": kms_master_key_id is missing from the inventory", ["kms_master_key_id"])}
}

test_unknown_key if {
	r := _resource("aws_sns_topic", "alerts", {}, ["kms_master_key_id"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SNS topic \"alerts\": kms_master_key_id is known only after apply", ["kms_master_key_id"])}
}
