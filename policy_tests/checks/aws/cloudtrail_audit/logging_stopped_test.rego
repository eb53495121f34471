package checks.aws.cloudtrail_audit.logging_stopped_test

import data.checks.aws.cloudtrail_audit.logging_stopped as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CTA-001",
	"title": "CloudTrail logging was stopped or a trail deleted in the period",
	"description": "A StopLogging or DeleteTrail call that succeeded during the reporting period leaves a stretch with no audit record of what happened in the account, and is a common first step of someone covering their tracks.",
	"severity": "high",
	"resource_types": ["aws_cloudtrail_summary"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1", "10.2.1.6"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Find who stopped logging or deleted the trail (the listed principal, time and source address), restart logging, review the unlogged span, and deny cloudtrail:StopLogging and cloudtrail:DeleteTrail with a service control policy except for a break-glass role.",
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

_sensitive(trail) := {
	"trail_changes": {"total": 2, "failed": 1, "by_event_name": trail, "events": [], "truncated": false},
	"iam_changes": {"total": 0, "failed": 0, "by_event_name": {}, "events": [], "truncated": false},
}

_tracked := ["CreateUser", "DeleteTrail", "StopLogging", "UpdateTrail"]

test_pass_only_trail_updates if {
	r := _resource({"sensitive_events": _sensitive({"UpdateTrail": 1}), "tracked_event_names": _tracked}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_logging_stopped_and_trail_deleted if {
	r := _resource({"sensitive_events": _sensitive({"StopLogging": 1, "DeleteTrail": 2}), "tracked_event_names": _tracked}, {})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, sprintf("CloudTrail at %q: DeleteTrail (2), StopLogging (1) succeeded in the period", [_name]))}
}

test_fail_with_parameter if {
	r := _resource({"sensitive_events": _sensitive({"UpdateTrail": 1}), "tracked_event_names": _tracked}, {})
	_findings(r, {"cloudtrail_logging_stop_events": ["UpdateTrail"]}) == {expect.fail(_metadata, r.address, r.type, sprintf("CloudTrail at %q: UpdateTrail (1) succeeded in the period", [_name]))}
}

test_untracked_stop_event_is_indeterminate if {
	r := _resource({"sensitive_events": _sensitive({}), "tracked_event_names": ["CreateUser"]}, {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: the summary does not count DeleteTrail, StopLogging", [_name]), ["tracked_event_names"])}
}

test_missing_sensitive_events if {
	r := _resource({"tracked_event_names": _tracked}, {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: sensitive_events is missing from the inventory", [_name]), ["sensitive_events"])}
}

test_missing_tracked_event_names if {
	r := _resource({"sensitive_events": _sensitive({"StopLogging": 1})}, {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: tracked_event_names is missing from the inventory", [_name]), ["tracked_event_names"])}
}
