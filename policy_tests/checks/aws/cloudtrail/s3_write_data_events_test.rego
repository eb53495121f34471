package checks.aws.cloudtrail.s3_write_data_events_test

import data.checks.aws.cloudtrail.s3_write_data_events as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CT-006",
	"title": "CloudTrail trail does not record S3 object-level write data events for every bucket",
	"description": "Without S3 object-level write data events nothing records who put, overwrote or deleted which object, so tampering with or destroying stored data cannot be traced to a principal.",
	"severity": "medium",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1", "10.2.1.7"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Add an event_selector with read_write_type = \"All\" (or \"WriteOnly\") and a data_resource of type \"AWS::S3::Object\" with values = [\"arn:aws:s3\"], or an advanced_event_selector with eventCategory = Data and resources.type = AWS::S3::Object (readOnly = false, or no readOnly field). Scope it to fewer buckets only where another trail records the rest.",
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

_none := "CloudTrail trail \"org-trail\" records no S3 object-level write data events"

_some := "CloudTrail trail \"org-trail\" records S3 object-level write data events for some buckets only (no selector covers every bucket)"

_basic(read_write_type, values) := {
	"read_write_type": read_write_type,
	"include_management_events": true,
	"exclude_management_event_sources": [],
	"data_resource": [{"type": "AWS::S3::Object", "values": values}],
}

_selectors(basic, advanced) := {"event_selector": basic, "advanced_event_selector": advanced}

_field(field, equals) := {"field": field, "equals": equals}

_s3_data := [_field("eventCategory", ["Data"]), _field("resources.type", ["AWS::S3::Object"])]

_advanced(fields) := {"name": "s3", "field_selector": fields}

test_pass_basic_all_buckets if {
	r := _trail(_selectors([_basic("All", ["arn:aws:s3"])], []), {})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_basic_write_only_old_all_bucket_form if {
	r := _trail(_selectors([_basic("WriteOnly", ["arn:aws:s3:::"])], []), {})
	count(_findings(r)) == 0
}

test_pass_basic_other_partition if {
	r := _trail(_selectors([_basic("All", ["arn:aws-us-gov:s3"])], []), {})
	count(_findings(r)) == 0
}

test_pass_advanced_without_read_only if {
	r := _trail(_selectors([], [_advanced(_s3_data)]), {})
	count(_findings(r)) == 0
}

test_pass_advanced_read_only_false if {
	r := _trail(_selectors([], [_advanced(array.concat(_s3_data, [_field("readOnly", ["false"])]))]), {})
	count(_findings(r)) == 0
}

test_pass_advanced_arn_prefix_of_every_bucket if {
	arn := {"field": "resources.ARN", "starts_with": ["arn:aws:s3"], "equals": null}
	r := _trail(_selectors([], [_advanced(array.concat(_s3_data, [arn]))]), {})
	count(_findings(r)) == 0
}

test_fail_no_selectors if {
	_findings(_trail(_selectors([], []), {})) == {_fail(_none)}
}

test_fail_basic_read_only if {
	r := _trail(_selectors([_basic("ReadOnly", ["arn:aws:s3"])], []), {})
	_findings(r) == {_fail(_none)}
}

test_fail_basic_lambda_only if {
	selector := object.union(_basic("All", []), {"data_resource": [{"type": "AWS::Lambda::Function", "values": ["arn:aws:lambda"]}]})
	_findings(_trail(_selectors([selector], []), {})) == {_fail(_none)}
}

test_fail_basic_some_buckets if {
	r := _trail(_selectors([_basic("All", ["arn:aws:s3:::orders-data/", "arn:aws:s3:::audit/2026"])], []), {})
	_findings(r) == {_fail(_some)}
}

test_fail_advanced_read_only_true if {
	r := _trail(_selectors([], [_advanced(array.concat(_s3_data, [_field("readOnly", ["true"])]))]), {})
	_findings(r) == {_fail(_none)}
}

test_fail_advanced_some_buckets if {
	arn := {"field": "resources.ARN", "starts_with": ["arn:aws:s3:::orders-data/"]}
	r := _trail(_selectors([], [_advanced(array.concat(_s3_data, [arn]))]), {})
	_findings(r) == {_fail(_some)}
}

test_fail_advanced_event_name_filter if {
	r := _trail(_selectors([], [_advanced(array.concat(_s3_data, [_field("eventName", ["GetObject", "PutObject"])]))]), {})
	_findings(r) == {_fail(_some)}
}

test_fail_advanced_management_only if {
	r := _trail(_selectors([], [_advanced([_field("eventCategory", ["Management"])])]), {})
	_findings(r) == {_fail(_none)}
}

test_missing_event_selector if {
	r := _trail({"advanced_event_selector": []}, {})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\": event_selector is missing from the inventory", ["event_selector"])}
}

test_missing_both_selector_forms if {
	_findings(_trail({"name": "org-trail"}, {})) == {_indeterminate(
		"CloudTrail trail \"org-trail\": event_selector is missing from the inventory, advanced_event_selector is missing from the inventory",
		["event_selector", "advanced_event_selector"],
	)}
}

# A bucket ARN known only after apply may be any bucket: not judged.
test_unknown_data_resource_values if {
	r := _trail(_selectors([_basic("All", [null])], []), {"unknown": ["event_selector.0.data_resource.0.values.0"]})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\": event_selector is known only after apply", ["event_selector"])}
}

# The every-bucket literal is known even when another part is not.
test_pass_unknown_part_beside_every_bucket if {
	r := _trail(_selectors([_basic("All", ["arn:aws:s3", null])], []), {"unknown": ["event_selector.0.data_resource.0.values.1"]})
	count(_findings(r)) == 0
}

test_unexpected_shape if {
	r := _trail(_selectors({"read_write_type": "All"}, []), {})
	_findings(r) == {_indeterminate(
		"CloudTrail trail \"org-trail\": event_selector or advanced_event_selector has an unexpected shape",
		["event_selector", "advanced_event_selector"],
	)}
}
