package checks.aws.cloudtrail.cloudwatch_logs_test

import data.checks.aws.cloudtrail.cloudwatch_logs as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CT-005",
	"title": "CloudTrail trail not delivered to CloudWatch Logs",
	"description": "A trail that writes only to S3 can be searched after the fact but watched by nothing: without a CloudWatch Logs group no metric filter or alarm can react to root use, denied calls or changes to the trail itself as they happen.",
	"severity": "medium",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)", "164.308(a)(1)(ii)(D)"],
		"pci_dss": ["10.4.1.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.8.16"],
	},
	"remediation": "Create an aws_cloudwatch_log_group for the trail and an IAM role that lets cloudtrail.amazonaws.com write to it, then set cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\" and cloud_watch_logs_role_arn on the trail.",
}

_address := "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail"

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

_findings(r) := findings if {
	findings := check.findings with input as _inventory([r])
}

_fail(message) := expect.fail(_metadata, _address, "aws_cloudtrail", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_cloudtrail", message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_message := "CloudTrail trail \"org-trail\" delivers no logs to CloudWatch Logs (cloud_watch_logs_group_arn not set)"

test_pass_log_group_set if {
	r := _trail({"cloud_watch_logs_group_arn": "arn:aws:logs:eu-west-1:123456789012:log-group:cloudtrail/org-trail:*"}, {})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_log_group_null if {
	_findings(_trail({"cloud_watch_logs_group_arn": null}, {})) == {_fail(_message)}
}

# Terraform state records an unset group as an empty string.
test_fail_log_group_empty_string if {
	_findings(_trail({"cloud_watch_logs_group_arn": ""}, {})) == {_fail(_message)}
}

test_missing_log_group if {
	_findings(_trail({"name": "org-trail"}, {})) == {_indeterminate(
		"CloudTrail trail \"org-trail\": cloud_watch_logs_group_arn is missing from the inventory",
		["cloud_watch_logs_group_arn"],
	)}
}

test_unknown_log_group if {
	r := _trail({}, {"unknown": ["cloud_watch_logs_group_arn"]})
	_findings(r) == {_indeterminate(
		"CloudTrail trail \"org-trail\": cloud_watch_logs_group_arn is known only after apply",
		["cloud_watch_logs_group_arn"],
	)}
}
