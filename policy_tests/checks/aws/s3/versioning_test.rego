package checks.aws.s3.versioning_test

import data.checks.aws.s3.versioning as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-004",
	"title": "S3 bucket versioning not enabled",
	"description": "Without versioning an overwrite or delete, by mistake, by an attacker or by ransomware, destroys the only copy of an object; versioning keeps earlier versions recoverable.",
	"severity": "medium",
	"resource_types": ["aws_s3_bucket"],
	"controls": {
		"gdpr": ["Art.32(1)(b)", "Art.32(1)(c)"],
		"hipaa": ["164.312(c)(1)", "164.308(a)(7)(ii)(A)"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.13"],
	},
	"remediation": "Add an aws_s3_bucket_versioning with versioning_configuration status = \"Enabled\", and a lifecycle rule expiring noncurrent versions after the recovery window.",
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

_fail(message) := expect.fail(_metadata, _address, "aws_s3_bucket", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_s3_bucket", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_bucket(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_versioning_enabled if {
	r := _bucket({"bucket": "acme-records", "versioning": {"status": "Enabled"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_versioning_suspended if {
	findings := _findings({"bucket": "acme-records", "versioning": {"status": "Suspended"}})
	findings == {expect.fail(
		_metadata, "arn:aws:s3:::acme-records", "aws_s3_bucket",
		"S3 bucket \"acme-records\" has versioning Suspended, not Enabled",
	)}
}

test_fail_versioning_disabled if {
	_findings({"versioning": {"status": "Disabled"}}) == {_fail("S3 bucket \"acme-records\" has versioning Disabled, not Enabled")}
}

test_fail_versioning_never_configured if {
	_findings({"versioning": null}) == {_fail("S3 bucket \"acme-records\" has versioning off (never configured), not Enabled")}
}

test_missing_versioning if {
	_findings({"bucket": "acme-records"}) == {_indeterminate(
		"S3 bucket \"acme-records\": versioning is missing from the inventory",
		["versioning"],
	)}
}

test_missing_versioning_status if {
	_findings({"versioning": {}}) == {_indeterminate(
		"S3 bucket \"acme-records\": versioning.status is missing from the inventory",
		["versioning.status"],
	)}
}

test_unknown_versioning_status if {
	r := object.union(_bucket({"versioning": {}}), {"unknown": ["versioning.status"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"S3 bucket \"acme-records\": versioning is known only after apply",
		["versioning"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"versioning": null},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
