# METADATA
# title: What a CloudTrail trail's event selectors record
# description: |
#   Reads the two Terraform forms of a trail's selectors, event_selector
#   (read_write_type, include_management_events,
#   exclude_management_event_sources, data_resource [{type, values}]) and
#   advanced_event_selector (field_selector [{field, equals, not_equals,
#   starts_with, not_starts_with, ends_with, not_ends_with}]), and says whether
#   the trail records S3 object-level data events for every bucket (reads or
#   writes) and every management event. A trail has one form or the other; a
#   trail with neither records every management event and no data event.
#
#   "Every bucket" is a data_resource value of exactly arn:<partition>:s3 (the
#   documented prefix for all current and future buckets) or
#   arn:<partition>:s3::: (the form older consoles saved), or an advanced
#   selector on eventCategory Data and resources.type AWS::S3::Object with no
#   other condition than readOnly (a resources.ARN condition counts only when it
#   is starts_with one of those two values). A bucket ARN
#   (arn:aws:s3:::bucket/ or a prefix in it) covers that bucket only.
package lib.event_selectors

import data.lib.result

_paths := ["event_selector", "advanced_event_selector"]

# s3_judgement for kind "write" or "read": {"outcome": "pass"},
# {"outcome": "fail", "detail": text} or {"outcome": "indeterminate",
# "detail": text, "paths": [...]}. A pass reads known values only (a value
# known only after apply is absent or null, never a covering literal), so
# it needs no other part known.
s3_judgement(r, kind) := {"outcome": "pass"} if {
	_s3_all(r, kind)
} else := judgement if {
	judgement := _undecided(r)
} else := {"outcome": "fail", "detail": detail} if {
	_s3_some(r, kind)
	detail := sprintf("records S3 object-level %s data events for some buckets only (no selector covers every bucket)", [kind])
} else := {"outcome": "fail", "detail": sprintf("records no S3 object-level %s data events", [kind])}

# management_judgement: every management event, read and write, from every
# event source.
management_judgement(r) := {"outcome": "pass"} if {
	_management_all(r)
} else := judgement if {
	judgement := _undecided(r)
} else := {"outcome": "fail", "detail": detail} if {
	detail := _management_gap(r)
}

_undecided(r) := {"outcome": "indeterminate", "detail": detail, "paths": paths} if {
	paths := [p | some p in _paths; result.attribute_state(r, p) != "known"]
	count(paths) > 0
	detail := concat(", ", [sprintf("%s is %s", [p, result.state_text[result.attribute_state(r, p)]]) | some p in paths])
} else := {"outcome": "indeterminate", "detail": "event_selector or advanced_event_selector has an unexpected shape", "paths": _paths} if {
	not _well_formed(r)
}

_well_formed(r) if {
	every p in _paths {
		is_array(r.attributes[p])
		every s in r.attributes[p] {
			is_object(s)
		}
	}
}

_selectors(r, path) := s if {
	s := r.attributes[path]
	is_array(s)
} else := []

# _list reads an optional list attribute of a block: null or absent is empty.
_list(block, key) := v if {
	v := object.get(block, key, [])
	is_array(v)
} else := []

_rw_covers(selector, _) if object.get(selector, "read_write_type", null) == "All"

_rw_covers(selector, "write") if object.get(selector, "read_write_type", null) == "WriteOnly"

_rw_covers(selector, "read") if object.get(selector, "read_write_type", null) == "ReadOnly"

# S3 data events, basic selectors.

_s3_values(selector, kind) := [v |
	_rw_covers(selector, kind)
	some resource in _list(selector, "data_resource")
	is_object(resource)
	object.get(resource, "type", null) == "AWS::S3::Object"
	some v in _list(resource, "values")
	is_string(v)
]

every_bucket(value) if regex.match(`^arn:aws[a-z-]*:s3(:::)?$`, value)

_s3_all(r, kind) if {
	some selector in _selectors(r, "event_selector")
	some v in _s3_values(selector, kind)
	every_bucket(v)
}

_s3_all(r, kind) if {
	some selector in _selectors(r, "advanced_event_selector")
	fields := _fields(selector)
	_s3_data(fields, kind)
	every f in fields {
		_not_narrowing_s3(f)
	}
}

_s3_some(r, kind) if {
	some selector in _selectors(r, "event_selector")
	count(_s3_values(selector, kind)) > 0
}

_s3_some(r, kind) if {
	some selector in _selectors(r, "advanced_event_selector")
	_s3_data(_fields(selector), kind)
}

# Advanced selectors.

_fields(selector) := [f | some f in _list(selector, "field_selector"); is_object(f)]

_equals(fields, field, value) if {
	some f in fields
	object.get(f, "field", null) == field
	value in _list(f, "equals")
}

_read_only_value := {"write": "false", "read": "true"}

# readOnly absent records reads and writes; present, only the values it equals.
_read_only_allows(fields, kind) if {
	every f in fields {
		_read_only_field_allows(f, kind)
	}
}

_read_only_field_allows(f, _) if object.get(f, "field", null) != "readOnly"

_read_only_field_allows(f, kind) if {
	object.get(f, "field", null) == "readOnly"
	_read_only_value[kind] in _list(f, "equals")
}

_s3_data(fields, kind) if {
	_equals(fields, "eventCategory", "Data")
	_equals(fields, "resources.type", "AWS::S3::Object")
	_read_only_allows(fields, kind)
}

_not_narrowing_s3(f) if object.get(f, "field", null) in {"eventCategory", "resources.type", "readOnly"}

_not_narrowing_s3(f) if {
	object.get(f, "field", null) == "resources.ARN"
	starts := _list(f, "starts_with")
	count(starts) > 0
	every v in starts {
		is_string(v)
		every_bucket(v)
	}
	every key in ["equals", "not_equals", "ends_with", "not_ends_with", "not_starts_with"] {
		count(_list(f, key)) == 0
	}
}

# Management events.

# Neither form set: CloudTrail's default selector, every management event.
_management_all(r) if {
	not _undecided(r)
	count(_selectors(r, "event_selector")) == 0
	count(_selectors(r, "advanced_event_selector")) == 0
}

_management_all(r) if {
	every kind in ["read", "write"] {
		_management_kind(r, kind)
	}
}

_management_kind(r, kind) if {
	some selector in _selectors(r, "event_selector")
	_basic_management(selector, kind)
}

_management_kind(r, kind) if {
	some selector in _selectors(r, "advanced_event_selector")
	fields := _fields(selector)
	_equals(fields, "eventCategory", "Management")
	_read_only_allows(fields, kind)
	every f in fields {
		object.get(f, "field", null) in {"eventCategory", "readOnly"}
	}
}

_basic_management(selector, kind) if {
	object.get(selector, "include_management_events", null) == true
	_rw_covers(selector, kind)
	count(_list(selector, "exclude_management_event_sources")) == 0
}

_management_gap(r) := "its event selectors exclude management events (include_management_events = false)" if {
	count(_selectors(r, "event_selector")) > 0
	count(_selectors(r, "advanced_event_selector")) == 0
	every selector in _selectors(r, "event_selector") {
		object.get(selector, "include_management_events", null) != true
	}
} else := "its event selectors record only part of the management events (read_write_type not All, or exclude_management_event_sources set)" if {
	count(_selectors(r, "event_selector")) > 0
	count(_selectors(r, "advanced_event_selector")) == 0
} else := "its advanced event selectors record no management events (no eventCategory = Management)" if {
	count(_selectors(r, "advanced_event_selector")) > 0
	count(_selectors(r, "event_selector")) == 0
	not _any_advanced_management(r)
} else := "its advanced event selectors record only part of the management events (filtered on readOnly or eventSource)" if {
	count(_selectors(r, "advanced_event_selector")) > 0
	count(_selectors(r, "event_selector")) == 0
} else := "its event selectors record only part of the management events"

_any_advanced_management(r) if {
	some selector in _selectors(r, "advanced_event_selector")
	_equals(_fields(selector), "eventCategory", "Management")
}
