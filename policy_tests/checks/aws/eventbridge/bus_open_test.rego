package checks.aws.eventbridge.bus_open_test

import data.checks.aws.eventbridge.bus_open as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EVB-001",
	"title": "EventBridge event bus open to any account",
	"description": "A bus policy or permission that lets principal \"*\" put events, without a condition on the organization or the source, lets any AWS account inject events that trigger your rules and targets.",
	"severity": "high",
	"resource_types": [
		"aws_cloudwatch_event_bus_policy",
		"aws_cloudwatch_event_permission",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(a)(1)",
			"164.312(c)(1)",
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
	"remediation": "Name the accounts that may put events as principals, or add a condition on aws:PrincipalOrgID (a condition block with key aws:PrincipalOrgID on aws_cloudwatch_event_permission) to every statement allowing \"*\".",
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

test_pass_org_condition if {
	r := _resource("aws_cloudwatch_event_bus_policy", "shared", {"policy": {"Statement": [{"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_open_policy if {
	r := _resource("aws_cloudwatch_event_bus_policy", "shared", {"policy": "{\"Statement\":[{\"Sid\":\"All\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"events:PutEvents\",\"Resource\":\"*\"}]}"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "EventBridge bus policy \"shared\" allows any principal without a narrowing condition: All")}
}

test_missing_policy if {
	r := _resource("aws_cloudwatch_event_bus_policy", "shared", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "EventBridge bus policy \"shared\": policy is missing from the inventory", ["policy"])}
}

test_unknown_policy if {
	r := _resource("aws_cloudwatch_event_bus_policy", "shared", {}, ["policy"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "EventBridge bus policy \"shared\": policy is known only after apply", ["policy"])}
}

test_missing_unreadable_policy if {
	r := _resource("aws_cloudwatch_event_bus_policy", "shared", {"policy": "nope"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "EventBridge bus policy \"shared\": policy is not a JSON policy document", ["policy"])}
}

test_pass_permission_named_account if {
	r := _resource("aws_cloudwatch_event_permission", "partner", {"principal": "210987654321", "condition": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_permission_star_with_condition if {
	r := _resource("aws_cloudwatch_event_permission", "org", {"principal": "*", "condition": {"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": "o-abc123"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_permission_star_without_condition if {
	r := _resource("aws_cloudwatch_event_permission", "anyone", {"principal": "*", "condition": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "EventBridge permission \"anyone\" lets any account put events, with no condition")}
}

test_missing_permission_principal if {
	r := _resource("aws_cloudwatch_event_permission", "anyone", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "EventBridge permission \"anyone\": principal is missing from the inventory", ["principal"])}
}

test_unknown_permission_condition if {
	r := _resource("aws_cloudwatch_event_permission", "anyone", {"principal": "*"}, ["condition"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "EventBridge permission \"anyone\" lets any account put events; condition is known only after apply", ["condition"])}
}
