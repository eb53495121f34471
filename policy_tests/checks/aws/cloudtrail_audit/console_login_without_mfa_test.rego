package checks.aws.cloudtrail_audit.console_login_without_mfa_test

import data.checks.aws.cloudtrail_audit.console_login_without_mfa as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CTA-005",
	"title": "Console sign-ins without MFA in the period",
	"description": "A successful console sign-in of the root user or an IAM user without a second factor means a stolen password alone was, or would have been, enough to reach the account.",
	"severity": "high",
	"resource_types": ["aws_cloudtrail_summary"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(d)"],
		"pci_dss": ["8.4.2"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.5"],
	},
	"remediation": "Require MFA for every console user (an IAM policy denying actions without aws:MultiFactorAuthPresent, or sign-in through an identity provider that enforces it), and enable MFA for the listed users and the root user.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-03-03T09:00:00Z",
	"sources": [],
	"resources": resources,
}

_resource(attributes, extra) := object.union(
	{
		"address": "s3://audit-trail-logs/org#111122223333",
		"type": "aws_cloudtrail_summary",
		"provider": "aws",
		"account": "111122223333",
		"region": null,
		"name": "s3://audit-trail-logs/org#111122223333",
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

_name := "s3://audit-trail-logs/org#111122223333"

test_pass_all_logins_with_mfa if {
	r := _resource({"console_logins_without_mfa": {"total": 0, "events": [], "truncated": false}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_logins_without_mfa if {
	r := _resource({"console_logins_without_mfa": {"total": 2, "events": [], "truncated": false}}, {})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, sprintf("CloudTrail at %q: 2 console sign-ins without MFA in the period", [_name]))}
}

test_missing_console_logins if {
	r := _resource({"root_activity": {"total": 0}}, {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: console_logins_without_mfa.total is missing or not a number", [_name]), ["console_logins_without_mfa.total"])}
}
