package checks.aws.sqs.dead_letter_queue_test

import data.checks.aws.sqs.dead_letter_queue as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SQS-003",
	"title": "SQS queue without a dead-letter queue",
	"description": "Without a redrive policy a message that cannot be processed is received again and again until it expires and is deleted, unseen; a dead-letter queue keeps it for inspection.",
	"severity": "low",
	"resource_types": [
		"aws_sqs_queue",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(c)(1)",
		],
		"pci_dss": [
			"10.7.2",
		],
		"soc2": [
			"A1.2",
			"CC7.2",
		],
		"iso27001": [
			"A.8.14",
			"A.8.16",
		],
	},
	"remediation": "Add a redrive_policy naming a dead-letter queue (deadLetterTargetArn) and a maxReceiveCount, and alarm on the dead-letter queue's depth. Queues that are themselves dead-letter queues are recognised by a redrive_allow_policy or by a name containing one of the parameter dead_letter_queue_name_markers.",
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

test_pass_redrive_policy if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders", "redrive_policy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:123456789012:orders-dlq\",\"maxReceiveCount\":5}"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_dead_letter_queue_by_name_out_of_scope if {
	r := _resource("aws_sqs_queue", "orders_dlq", {"name": "orders-DLQ", "redrive_policy": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_pass_dead_letter_queue_by_allow_policy_out_of_scope if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders-failed", "redrive_policy": null, "redrive_allow_policy": "{\"redrivePermission\":\"allowAll\"}"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_pass_redrive_policy_object if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders", "redrive_policy": {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:orders-failed", "maxReceiveCount": 5}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_empty_redrive_policy_object if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders", "redrive_policy": {}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "SQS queue \"orders\" has no dead-letter queue (redrive_policy not set)")}
}

test_fail_no_redrive_policy if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders", "redrive_policy": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "SQS queue \"orders\" has no dead-letter queue (redrive_policy not set)")}
}

test_fail_empty_redrive_policy if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders", "redrive_policy": " "}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "SQS queue \"orders\" has no dead-letter queue (redrive_policy not set)")}
}

test_fail_name_marker_removed_by_parameter if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders-dlq", "redrive_policy": null}, [])
	inv := _inventory([r], {"dead_letter_queue_name_markers": []})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "SQS queue \"orders\" has no dead-letter queue (redrive_policy not set)")}
}

test_missing_redrive_policy if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SQS queue \"orders\": redrive_policy is missing from the inventory", ["redrive_policy"])}
}

test_unknown_redrive_policy if {
	r := _resource("aws_sqs_queue", "orders", {"name": "orders"}, ["redrive_policy"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SQS queue \"orders\": redrive_policy is known only after apply", ["redrive_policy"])}
}
