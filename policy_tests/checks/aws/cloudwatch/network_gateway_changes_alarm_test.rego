package checks.aws.cloudwatch.network_gateway_changes_alarm_test

import data.checks.aws.cloudwatch.network_gateway_changes_alarm as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CW-115",
	"title": "No alarm on network gateway changes",
	"description": "Attaching an internet gateway or adding a customer gateway creates a new way into or out of the network; an alarm on these calls shows unplanned paths as they appear.",
	"severity": "low",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.32(1)(b)", "Art.33(1)"],
		"hipaa": ["164.312(b)", "164.308(a)(1)(ii)(D)"],
		"pci_dss": ["10.2.1.7", "10.4.1.1"],
		"soc2": ["CC7.1", "CC7.2"],
		"iso27001": ["A.8.15", "A.8.16"],
	},
	"remediation": "Send the trail to CloudWatch Logs, add an aws_cloudwatch_log_metric_filter on its log group with the pattern { ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) } (further events may be ORed in), and an aws_cloudwatch_metric_alarm on its metric (Sum >= 1) whose alarm_actions name an SNS topic someone is subscribed to.",
}

_address := "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail"

_group := "arn:aws:logs:eu-west-1:123456789012:log-group:cloudtrail/org-trail:*"

_topic := "arn:aws:sns:eu-west-1:123456789012:security-alarms"

# The CIS pattern of the control.
_pattern := "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/cloudtrail", "status": "complete"}],
	"resources": resources,
}

_trail(attributes, extra) := object.union(
	{
		"address": _address,
		"type": "aws_cloudtrail",
		"provider": "aws",
		"name": "org-trail",
		"attributes": attributes,
	},
	extra,
)

_filter(pattern, actions) := {
	"name": "cis-4.12",
	"pattern": pattern,
	"metric_name": "cis_4_12",
	"metric_namespace": "CISBenchmark",
	"alarms": [{"name": "cis-4.12", "actions": actions}],
}

_attributes(filters) := {
	"is_multi_region_trail": true,
	"cloud_watch_logs_group_arn": _group,
	"metric_filters": filters,
}

_findings(r) := findings if {
	findings := check.findings with input as _inventory([r])
}

_fail(message) := expect.fail(_metadata, _address, "aws_cloudtrail", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_cloudtrail", message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_cis_pattern_with_alarm if {
	r := _trail(_attributes([_filter(_pattern, [_topic])]), {})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

# Whitespace and quoting differ from the CIS text, and another event is ORed in.
test_pass_pattern_written_differently if {
	pattern := concat("", [regex.replace(regex.replace(_pattern, `\s`, ""), `"`, ""), "||($.eventName=\"SomethingElse\")"])
	r := _trail(_attributes([_filter(pattern, [_topic])]), {})
	count(_findings(r)) == 0
}

test_pass_single_region_trail_out_of_scope if {
	r := _trail({"is_multi_region_trail": false, "cloud_watch_logs_group_arn": null}, {})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

test_fail_no_log_group if {
	r := _trail({"is_multi_region_trail": true, "cloud_watch_logs_group_arn": ""}, {})
	_findings(r) == {_fail("CloudTrail trail \"org-trail\" has no alarm on internet and customer gateway changes (CIS 4.12): it delivers no logs to CloudWatch Logs (cloud_watch_logs_group_arn not set), so no metric filter can watch its events")}
}

test_fail_no_metric_filter if {
	r := _trail(_attributes([]), {})
	_findings(r) == {_fail("CloudTrail trail \"org-trail\" has no alarm on internet and customer gateway changes (CIS 4.12): no metric filter on its log group matches those events")}
}

test_fail_filter_lacks_a_required_term if {
	r := _trail(_attributes([_filter("{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) }", [_topic])]), {})
	_findings(r) == {_fail("CloudTrail trail \"org-trail\" has no alarm on internet and customer gateway changes (CIS 4.12): no metric filter on its log group matches those events (none holds $.eventName = DetachInternetGateway)")}
}

test_fail_alarm_without_action if {
	r := _trail(_attributes([_filter(_pattern, [])]), {})
	_findings(r) == {_fail("CloudTrail trail \"org-trail\" has no alarm on internet and customer gateway changes (CIS 4.12): metric filter \"cis-4.12\" matches, but no alarm on its metric has an action")}
}

test_missing_metric_filters if {
	r := _trail({"is_multi_region_trail": true, "cloud_watch_logs_group_arn": _group}, {})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\": metric_filters is missing from the inventory", ["metric_filters"])}
}

test_unknown_metric_filters if {
	r := _trail({"is_multi_region_trail": true, "cloud_watch_logs_group_arn": _group}, {"unknown": ["metric_filters"]})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\": metric_filters is known only after apply", ["metric_filters"])}
}
