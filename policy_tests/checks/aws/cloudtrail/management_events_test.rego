package checks.aws.cloudtrail.management_events_test

import data.checks.aws.cloudtrail.management_events as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CT-009",
	"title": "CloudTrail trail does not record all management events",
	"description": "Management events are the control-plane calls: IAM changes, security group edits, key policy changes, console logins. A trail whose selectors leave out management events, only their reads or writes, or some event sources (KMS, RDS Data API) misses part of who changed what in the account.",
	"severity": "medium",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1", "10.2.1.2"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.8.16"],
	},
	"remediation": "Give the trail an event_selector with include_management_events = true, read_write_type = \"All\" and no exclude_management_event_sources, or an advanced_event_selector whose only field selector is eventCategory = Management (no readOnly or eventSource condition); or drop the selectors, which records every management event.",
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

_prefix := "CloudTrail trail \"org-trail\" does not record all management events: "

_basic(read_write_type, management, excluded) := {
	"read_write_type": read_write_type,
	"include_management_events": management,
	"exclude_management_event_sources": excluded,
	"data_resource": [],
}

_selectors(basic, advanced) := {"event_selector": basic, "advanced_event_selector": advanced}

_field(field, equals) := {"field": field, "equals": equals}

_advanced(fields) := {"name": "management", "field_selector": fields}

# No selector at all: CloudTrail's default records every management event.
test_pass_no_selectors if {
	r := _trail(_selectors([], []), {})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_basic_all if {
	count(_findings(_trail(_selectors([_basic("All", true, [])], []), {}))) == 0
}

test_pass_basic_reads_and_writes_in_two_selectors if {
	r := _trail(_selectors([_basic("ReadOnly", true, []), _basic("WriteOnly", true, null)], []), {})
	count(_findings(r)) == 0
}

test_pass_advanced_management if {
	r := _trail(_selectors([], [_advanced([_field("eventCategory", ["Management"])])]), {})
	count(_findings(r)) == 0
}

test_pass_advanced_reads_and_writes_in_two_selectors if {
	reads := _advanced([_field("eventCategory", ["Management"]), _field("readOnly", ["true"])])
	writes := _advanced([_field("eventCategory", ["Management"]), _field("readOnly", ["false"])])
	count(_findings(_trail(_selectors([], [reads, writes]), {}))) == 0
}

test_fail_basic_management_excluded if {
	r := _trail(_selectors([_basic("All", false, [])], []), {})
	_findings(r) == {_fail(concat("", [_prefix, "its event selectors exclude management events (include_management_events = false)"]))}
}

test_fail_basic_write_only if {
	r := _trail(_selectors([_basic("WriteOnly", true, [])], []), {})
	_findings(r) == {_fail(concat("", [_prefix, "its event selectors record only part of the management events (read_write_type not All, or exclude_management_event_sources set)"]))}
}

test_fail_basic_event_source_excluded if {
	r := _trail(_selectors([_basic("All", true, ["kms.amazonaws.com"])], []), {})
	_findings(r) == {_fail(concat("", [_prefix, "its event selectors record only part of the management events (read_write_type not All, or exclude_management_event_sources set)"]))}
}

test_fail_advanced_data_events_only if {
	fields := [_field("eventCategory", ["Data"]), _field("resources.type", ["AWS::S3::Object"])]
	r := _trail(_selectors([], [_advanced(fields)]), {})
	_findings(r) == {_fail(concat("", [_prefix, "its advanced event selectors record no management events (no eventCategory = Management)"]))}
}

test_fail_advanced_event_source_filtered if {
	fields := [_field("eventCategory", ["Management"]), {"field": "eventSource", "not_equals": ["kms.amazonaws.com"]}]
	r := _trail(_selectors([], [_advanced(fields)]), {})
	_findings(r) == {_fail(concat("", [_prefix, "its advanced event selectors record only part of the management events (filtered on readOnly or eventSource)"]))}
}

test_fail_advanced_reads_only if {
	fields := [_field("eventCategory", ["Management"]), _field("readOnly", ["true"])]
	r := _trail(_selectors([], [_advanced(fields)]), {})
	_findings(r) == {_fail(concat("", [_prefix, "its advanced event selectors record only part of the management events (filtered on readOnly or eventSource)"]))}
}

test_missing_advanced_event_selector if {
	r := _trail({"event_selector": []}, {})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\": advanced_event_selector is missing from the inventory", ["advanced_event_selector"])}
}

test_unknown_read_write_type if {
	selector := object.remove(_basic("All", true, []), ["read_write_type"])
	r := _trail(_selectors([selector], []), {"unknown": ["event_selector.0.read_write_type"]})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\": event_selector is known only after apply", ["event_selector"])}
}

test_unexpected_shape if {
	r := _trail(_selectors([], "eventCategory = Management"), {})
	_findings(r) == {_indeterminate(
		"CloudTrail trail \"org-trail\": event_selector or advanced_event_selector has an unexpected shape",
		["event_selector", "advanced_event_selector"],
	)}
}
