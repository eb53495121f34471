package checks.aws.cloudwatch.log_retention_test

import data.checks.aws.cloudwatch.log_retention as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CWL-001",
	"title": "CloudWatch log group retention shorter than required",
	"description": "A log group that expires events before the required retention (minimum_log_retention_days) loses the audit history investigations and assessors need. A retention of 0 or null means events never expire.",
	"severity": "medium",
	"resource_types": ["aws_cloudwatch_log_group"],
	"controls": {
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.5.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.5.28"],
	},
	"remediation": "Set retention_in_days to at least the required retention (365 days by default), or export the logs to an archive that keeps them that long.",
}

_address := "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/logs", "status": "complete"}],
	"resources": resources,
}

_group(attributes) := {
	"address": _address,
	"type": "aws_cloudwatch_log_group",
	"provider": "aws",
	"name": "/aws/lambda/orders",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_cloudwatch_log_group", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_cloudwatch_log_group", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_group(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_message(days, minimum) := sprintf("CloudWatch log group \"/aws/lambda/orders\" keeps events %d days, less than the required %d", [days, minimum])

test_pass_retention_of_a_year if {
	r := _group({"name": "/aws/lambda/orders", "retention_in_days": 365})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_retention_above_minimum if {
	count(_findings({"retention_in_days": 3653})) == 0
}

# 0 or null: events never expire.
test_pass_never_expire if {
	count(_findings({"retention_in_days": 0})) == 0
	count(_findings({"retention_in_days": null})) == 0
}

test_fail_retention_of_a_month if {
	findings := _findings({"name": "/aws/lambda/orders", "retention_in_days": 30})
	findings == {expect.fail(
		_metadata, "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders", "aws_cloudwatch_log_group",
		"CloudWatch log group \"/aws/lambda/orders\" keeps events 30 days, less than the required 365",
	)}
}

test_fail_one_day_below_minimum if {
	_findings({"retention_in_days": 364}) == {_fail(_message(364, 365))}
	_findings({"retention_in_days": 1}) == {_fail(_message(1, 365))}
}

_with_minimum_30(days) := object.union(
	_inventory([_group({"retention_in_days": days})]),
	{"parameters": {"minimum_log_retention_days": 30}},
)

test_pass_and_fail_with_minimum_overridden if {
	count(check.findings) == 0 with input as _with_minimum_30(30)
	check.findings == {_fail(_message(14, 30))} with input as _with_minimum_30(14)
}

test_missing_retention_in_days if {
	_findings({"name": "/aws/lambda/orders"}) == {_indeterminate(
		"CloudWatch log group \"/aws/lambda/orders\": retention_in_days is missing from the inventory",
		["retention_in_days"],
	)}
}

test_unknown_retention_in_days if {
	r := object.union(_group({"retention_in_days": 1}), {"unknown": ["retention_in_days"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"CloudWatch log group \"/aws/lambda/orders\": retention_in_days is known only after apply",
		["retention_in_days"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"retention_in_days": 1},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
