package checks.aws.lambda.dead_letter_queue_test

import data.checks.aws.lambda.dead_letter_queue as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-LMB-004",
	"title": "Lambda function without a dead-letter queue",
	"description": "Asynchronous invocations that keep failing are dropped after their retries unless a dead-letter queue or topic receives them, so events (and the records they carry) are lost without trace.",
	"severity": "low",
	"resource_types": [
		"aws_lambda_function",
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
	"remediation": "Add a dead_letter_config block with target_arn set to an SQS queue or SNS topic the function's role may send to (or configure an on-failure destination) and alarm on its depth.",
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

test_pass_target_set if {
	r := _resource("aws_lambda_function", "orders", {"dead_letter_config": {"target_arn": "arn:aws:sqs:eu-west-1:123456789012:orders-dlq"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_no_block if {
	r := _resource("aws_lambda_function", "orders", {"dead_letter_config": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function \"orders\" has no dead-letter queue (dead_letter_config.target_arn not set)")}
}

test_fail_empty_target if {
	r := _resource("aws_lambda_function", "orders", {"dead_letter_config": {"target_arn": ""}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function \"orders\" has no dead-letter queue (dead_letter_config.target_arn not set)")}
}

test_missing_dead_letter_config if {
	r := _resource("aws_lambda_function", "orders", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": dead_letter_config is missing from the inventory", ["dead_letter_config"])}
}

test_unknown_target if {
	r := _resource("aws_lambda_function", "orders", {"dead_letter_config": {}}, ["dead_letter_config.target_arn"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": dead_letter_config is known only after apply", ["dead_letter_config"])}
}
