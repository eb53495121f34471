package checks.aws.cloudwatch.alarm_actions_test

import data.checks.aws.cloudwatch.alarm_actions as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CW-103",
	"title": "CloudWatch alarm notifies no one",
	"description": "An alarm with its actions turned off, or with no alarm action, changes state without telling anyone, so the condition it watches (root use, denied calls, a failing service) is noticed only by chance.",
	"severity": "low",
	"resource_types": ["aws_cloudwatch_metric_alarm"],
	"controls": {
		"gdpr": ["Art.32(1)(d)", "Art.33(1)"],
		"hipaa": ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"],
		"pci_dss": ["10.4.1", "11.5.1"],
		"soc2": ["CC7.2", "CC7.3"],
		"iso27001": ["A.8.16", "A.5.25"],
	},
	"remediation": "Set actions_enabled = true and add an alarm_actions entry (an SNS topic with a subscribed responder, or an automated response) to the alarm.",
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

test_pass_notifies if {
	r := _resource("aws_cloudwatch_metric_alarm", "root-use", {"actions_enabled": true, "alarm_actions": ["arn:aws:sns:eu-west-1:123456789012:security"]}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_actions_off if {
	r := _resource("aws_cloudwatch_metric_alarm", "root-use", {"actions_enabled": false, "alarm_actions": ["arn:aws:sns:eu-west-1:123456789012:security"]}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "CloudWatch alarm \"root-use\" has its actions turned off (actions_enabled = false)")}
}

test_fail_no_alarm_action if {
	r := _resource("aws_cloudwatch_metric_alarm", "root-use", {"actions_enabled": true, "alarm_actions": []}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "CloudWatch alarm \"root-use\" has no alarm action")}
}

test_missing_alarm_actions if {
	r := _resource("aws_cloudwatch_metric_alarm", "root-use", {"actions_enabled": true}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudWatch alarm \"root-use\": alarm_actions is missing from the inventory", ["alarm_actions"])}
}

test_unknown_actions_enabled if {
	r := _resource("aws_cloudwatch_metric_alarm", "root-use", {"alarm_actions": ["arn:aws:sns:eu-west-1:123456789012:security"]}, {"unknown": ["actions_enabled"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "CloudWatch alarm \"root-use\": actions_enabled is known only after apply", ["actions_enabled"])}
}
