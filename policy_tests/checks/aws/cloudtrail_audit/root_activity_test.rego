package checks.aws.cloudtrail_audit.root_activity_test

import data.checks.aws.cloudtrail_audit.root_activity as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CTA-004",
	"title": "The root user was used in the period",
	"description": "The root user cannot be limited by IAM policies. Any call it made during the reporting period, other than those few tasks only root can do, shows that daily work bypasses least privilege and per-person accountability.",
	"severity": "high",
	"resource_types": ["aws_cloudtrail_summary"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(b)"],
		"pci_dss": ["10.2.1.2", "7.2.1"],
		"soc2": ["CC6.1", "CC7.2"],
		"iso27001": ["A.8.2", "A.8.15"],
	},
	"remediation": "Confirm each listed root call was one of the tasks that need root, and who made it; otherwise use IAM roles for the work, remove root access keys, and lock the root credentials away behind MFA.",
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

test_pass_no_root_activity if {
	r := _resource({"root_activity": {"total": 0, "events": [], "truncated": false}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_root_activity if {
	r := _resource({"root_activity": {"total": 3, "events": [], "truncated": false}}, {})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, sprintf("CloudTrail at %q: the root user made 3 calls in the period", [_name]))}
}

test_missing_root_activity if {
	r := _resource({}, {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: root_activity.total is missing or not a number", [_name]), ["root_activity.total"])}
}

test_unexpected_shape_is_indeterminate if {
	r := _resource({"root_activity": {"total": "3"}}, {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: root_activity.total is missing or not a number", [_name]), ["root_activity.total"])}
}
