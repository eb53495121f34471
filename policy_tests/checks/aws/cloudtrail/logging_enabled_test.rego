package checks.aws.cloudtrail.logging_enabled_test

import data.checks.aws.cloudtrail.logging_enabled as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CT-004",
	"title": "CloudTrail trail not logging",
	"description": "A trail whose logging is stopped records no API activity at all, so actions on the account and its data leave no audit trail.",
	"severity": "high",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.8.16"],
	},
	"remediation": "Set enable_logging = true (aws cloudtrail start-logging), and alarm on cloudtrail:StopLogging.",
}

_address := "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/cloudtrail", "status": "complete"}],
	"resources": resources,
}

_trail(attributes) := {
	"address": _address,
	"type": "aws_cloudtrail",
	"provider": "aws",
	"name": "org-trail",
	"attributes": attributes,
}

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_cloudtrail", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_trail(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_enable_logging_true if {
	r := _trail({"name": "org-trail", "enable_logging": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_enable_logging_false if {
	findings := _findings({"name": "org-trail", "enable_logging": false})
	findings == {expect.fail(
		_metadata, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail", "aws_cloudtrail",
		"CloudTrail trail \"org-trail\" is not logging (enable_logging = false)",
	)}
}

test_missing_enable_logging if {
	_findings({"name": "org-trail"}) == {_indeterminate(
		"CloudTrail trail \"org-trail\": enable_logging is missing from the inventory",
		["enable_logging"],
	)}
}

test_unknown_enable_logging if {
	r := object.union(_trail({"name": "org-trail", "enable_logging": false}), {"unknown": ["enable_logging"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"CloudTrail trail \"org-trail\": enable_logging is known only after apply",
		["enable_logging"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"enable_logging": false},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
