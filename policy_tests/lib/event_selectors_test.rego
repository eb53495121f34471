package lib.event_selectors_test

import data.lib.event_selectors

test_every_bucket_values if {
	event_selectors.every_bucket("arn:aws:s3")
	event_selectors.every_bucket("arn:aws:s3:::")
	event_selectors.every_bucket("arn:aws-cn:s3")
	event_selectors.every_bucket("arn:aws-us-gov:s3:::")
}

test_bucket_arns_are_not_every_bucket if {
	not event_selectors.every_bucket("arn:aws:s3:::orders/")
	not event_selectors.every_bucket("arn:aws:s3:::orders")
	not event_selectors.every_bucket("arn:aws:s3:::/")
	not event_selectors.every_bucket("arn:aws:s3*")
}

_trail(basic, advanced) := {
	"address": "a",
	"type": "aws_cloudtrail",
	"name": "t",
	"attributes": {"event_selector": basic, "advanced_event_selector": advanced},
}

# Selectors of both forms (not allowed by the API, possible in an input) are read together.
test_management_from_both_forms if {
	basic := [{"read_write_type": "ReadOnly", "include_management_events": true}]
	advanced := [{"field_selector": [{"field": "eventCategory", "equals": ["Management"]}, {"field": "readOnly", "equals": ["false"]}]}]
	event_selectors.management_judgement(_trail(basic, advanced)) == {"outcome": "pass"}
}

# include_management_events left out is not taken to be true.
test_management_needs_include_management_events if {
	event_selectors.management_judgement(_trail([{"read_write_type": "All"}], [])).outcome == "fail"
}

test_s3_null_lists_are_empty if {
	basic := [{"read_write_type": "All", "include_management_events": true, "data_resource": null}]
	event_selectors.s3_judgement(_trail(basic, []), "write") == {"outcome": "fail", "detail": "records no S3 object-level write data events"}
}

# A resources.ARN condition with another operator narrows the buckets.
test_s3_arn_condition_with_another_operator_narrows if {
	fields := [
		{"field": "eventCategory", "equals": ["Data"]},
		{"field": "resources.type", "equals": ["AWS::S3::Object"]},
		{"field": "resources.ARN", "starts_with": ["arn:aws:s3"], "not_starts_with": ["arn:aws:s3:::logs/"]},
	]
	event_selectors.s3_judgement(_trail([], [{"field_selector": fields}]), "read").outcome == "fail"
}

test_management_gap_with_both_forms if {
	basic := [{"read_write_type": "ReadOnly", "include_management_events": true}]
	advanced := [{"field_selector": [{"field": "eventCategory", "equals": ["Data"]}]}]
	event_selectors.management_judgement(_trail(basic, advanced)) == {
		"outcome": "fail",
		"detail": "its event selectors record only part of the management events",
	}
}
