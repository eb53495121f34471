package checks.aws.s3.access_logging_test

import data.checks.aws.s3.access_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-005",
	"title": "S3 bucket server access logging disabled",
	"description": "Without server access logs there is no record of who read, wrote or deleted objects (CloudTrail records object-level requests only when data events are on), so access to the data cannot be reviewed or investigated.",
	"severity": "medium",
	"resource_types": ["aws_s3_bucket"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Add an aws_s3_bucket_logging that delivers access logs to a dedicated logging bucket (target_bucket, target_prefix), or enable CloudTrail S3 data events for the bucket.",
}

_address := "arn:aws:s3:::acme-records"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/s3", "status": "complete"}],
	"resources": resources,
}

_bucket(attributes) := {
	"address": _address,
	"type": "aws_s3_bucket",
	"provider": "aws",
	"name": "acme-records",
	"attributes": attributes,
}

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_s3_bucket", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_bucket(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_access_logging_on if {
	r := _bucket({"bucket": "acme-records", "logging": {"target_bucket": "acme-access-logs", "target_prefix": "acme-records/"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_access_logging_off if {
	findings := _findings({"bucket": "acme-records", "logging": null})
	findings == {expect.fail(
		_metadata, "arn:aws:s3:::acme-records", "aws_s3_bucket",
		"S3 bucket \"acme-records\" has server access logging off (logging = null)",
	)}
}

test_missing_logging if {
	_findings({"bucket": "acme-records"}) == {_indeterminate(
		"S3 bucket \"acme-records\": logging is missing from the inventory",
		["logging"],
	)}
}

test_unknown_logging_target if {
	r := object.union(_bucket({"logging": {"target_prefix": "x/"}}), {"unknown": ["logging.target_bucket"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"S3 bucket \"acme-records\": logging is known only after apply",
		["logging"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"logging": null},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

_fail(message) := expect.fail(_metadata, _address, "aws_s3_bucket", message)

# A logging block without its target was not fully collected: indeterminate.
test_missing_logging_target_bucket if {
	_findings({"logging": {}}) == {_indeterminate(
		"S3 bucket \"acme-records\": logging.target_bucket is missing from the inventory",
		["logging.target_bucket"],
	)}
	_findings({"logging": {"target_prefix": "acme-records/"}}) == {_indeterminate(
		"S3 bucket \"acme-records\": logging.target_bucket is missing from the inventory",
		["logging.target_bucket"],
	)}
}

# An empty or null target delivers logs nowhere: fail.
test_fail_empty_logging_target_bucket if {
	_findings({"logging": {"target_bucket": ""}}) == {_fail("S3 bucket \"acme-records\" has server access logging without a target bucket (target_bucket = \"\")")}
	_findings({"logging": {"target_bucket": null, "target_prefix": "x/"}}) == {_fail("S3 bucket \"acme-records\" has server access logging without a target bucket (target_bucket = null)")}
}

test_pass_logging_target_without_prefix if {
	r := _bucket({"logging": {"target_bucket": "acme-access-logs"}})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}
