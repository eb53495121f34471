package checks.aws.sqs.encryption_test

import data.checks.aws.sqs.encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SQS-001",
	"title": "SQS queue not encrypted at rest",
	"description": "Messages can wait in a queue for up to two weeks; without SSE-KMS or SSE-SQS they are stored unencrypted.",
	"severity": "medium",
	"resource_types": [
		"aws_sqs_queue",
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
	"remediation": "Set kms_master_key_id on the queue to a KMS key (a customer-managed key for regulated data), or at least sqs_managed_sse_enabled = true.",
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
	r := _resource("aws_sqs_queue", "orders", {"kms_master_key_id": "alias/orders", "sqs_managed_sse_enabled": false}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_sse_sqs if {
	r := _resource("aws_sqs_queue", "orders", {"kms_master_key_id": null, "sqs_managed_sse_enabled": true}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_sse_sqs_with_kms_unknown if {
	r := _resource("aws_sqs_queue", "orders", {"sqs_managed_sse_enabled": true}, ["kms_master_key_id"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_neither if {
	r := _resource("aws_sqs_queue", "orders", {"kms_master_key_id": "", "sqs_managed_sse_enabled": false}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "SQS queue \"orders\" stores messages unencrypted (no kms_master_key_id, sqs_managed_sse_enabled not true)")}
}

test_missing_both if {
	r := _resource("aws_sqs_queue", "orders", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SQS queue \"orders\": kms_master_key_id, sqs_managed_sse_enabled missing from the inventory", ["kms_master_key_id", "sqs_managed_sse_enabled"])}
}

test_unknown_sse_flag if {
	r := _resource("aws_sqs_queue", "orders", {"kms_master_key_id": null}, ["sqs_managed_sse_enabled"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SQS queue \"orders\": sqs_managed_sse_enabled known only after apply", ["sqs_managed_sse_enabled"])}
}

test_unknown_and_missing if {
	r := _resource("aws_sqs_queue", "orders", {}, ["sqs_managed_sse_enabled"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SQS queue \"orders\": kms_master_key_id, sqs_managed_sse_enabled known only after apply or missing from the inventory", ["kms_master_key_id", "sqs_managed_sse_enabled"])}
}
