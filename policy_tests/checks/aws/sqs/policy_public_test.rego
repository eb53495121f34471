package checks.aws.sqs.policy_public_test

import data.checks.aws.sqs.policy_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SQS-002",
	"title": "SQS queue policy open to any principal",
	"description": "A queue policy that allows Principal \"*\" without a condition naming an account, organization or source lets anyone send messages to the queue or read and delete them.",
	"severity": "high",
	"resource_types": [
		"aws_sqs_queue",
		"aws_sqs_queue_policy",
	],
	"controls": {
		"gdpr": [
			"Art.25(2)",
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(a)(1)",
		],
		"pci_dss": [
			"7.2.1",
			"1.4.4",
		],
		"soc2": [
			"CC6.1",
			"CC6.6",
		],
		"iso27001": [
			"A.5.15",
			"A.8.3",
		],
	},
	"remediation": "Replace Principal \"*\" with the accounts or services that need the queue, or add a condition on aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID to every Allow statement.",
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

test_pass_source_arn_condition if {
	r := _resource("aws_sqs_queue", "orders", {"policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*", "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:alerts"}}}]}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_no_policy if {
	r := _resource("aws_sqs_queue", "orders", {"policy": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_open_statement if {
	r := _resource("aws_sqs_queue", "orders", {"policy": "{\"Statement\":[{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "aws_sqs_queue \"orders\" policy allows any principal without a narrowing condition: Open")}
}

test_fail_queue_policy_two_open_statements if {
	r := _resource("aws_sqs_queue_policy", "orders", {"queue_url": "https://sqs.eu-west-1.amazonaws.com/123456789012/orders", "policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage"}, {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sqs:*"}, {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:ReceiveMessage"}]}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "aws_sqs_queue_policy \"orders\" policy allows any principal without a narrowing condition: statement 1, Read")}
}

test_missing_policy if {
	r := _resource("aws_sqs_queue", "orders", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "aws_sqs_queue \"orders\": policy is missing from the inventory", ["policy"])}
}

test_unknown_policy if {
	r := _resource("aws_sqs_queue", "orders", {}, ["policy"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "aws_sqs_queue \"orders\": policy is known only after apply", ["policy"])}
}

test_missing_unreadable_policy_array if {
	r := _resource("aws_sqs_queue", "orders", {"policy": "[1, 2]"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "aws_sqs_queue \"orders\": policy is not a JSON policy document", ["policy"])}
}
