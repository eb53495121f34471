package checks.aws.cloudtrail.log_file_validation_test

import data.checks.aws.cloudtrail.log_file_validation as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CT-002",
	"title": "CloudTrail log file validation disabled",
	"description": "Without log file validation CloudTrail writes no signed digest files, so a log file that was changed or deleted after delivery cannot be detected.",
	"severity": "medium",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.5(1)(f)", "Art.32(1)(b)"],
		"hipaa": ["164.312(b)", "164.312(c)(1)"],
		"pci_dss": ["10.3.4"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.5.28"],
	},
	"remediation": "Set enable_log_file_validation = true on the trail and validate digests with `aws cloudtrail validate-logs` when logs are used as evidence.",
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

test_pass_enable_log_file_validation_true if {
	r := _trail({"name": "org-trail", "enable_log_file_validation": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_enable_log_file_validation_false if {
	findings := _findings({"name": "org-trail", "enable_log_file_validation": false})
	findings == {expect.fail(
		_metadata, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail", "aws_cloudtrail",
		"CloudTrail trail \"org-trail\" has log file validation off (enable_log_file_validation = false)",
	)}
}

test_missing_enable_log_file_validation if {
	_findings({"name": "org-trail"}) == {_indeterminate(
		"CloudTrail trail \"org-trail\": enable_log_file_validation is missing from the inventory",
		["enable_log_file_validation"],
	)}
}

test_unknown_enable_log_file_validation if {
	r := object.union(_trail({"name": "org-trail", "enable_log_file_validation": false}), {"unknown": ["enable_log_file_validation"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"CloudTrail trail \"org-trail\": enable_log_file_validation is known only after apply",
		["enable_log_file_validation"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"enable_log_file_validation": false},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
