# METADATA
# title: Tag and classification helpers
# description: |
#   Reads what a resource's tags and data classes say about it, using the tag
#   keys and values configured in lib.params, so every check agrees.
package lib.tags

import data.lib.params

# tag_value is the trimmed value of the first configured tag key the resource
# carries with a non-empty value (an empty tag does not hide a later key).
tag_value(resource, keys) := [v |
	tags := object.get(resource, "tags", {})
	some key in keys
	raw := tags[key]
	is_string(raw)
	v := trim_space(raw)
	v != ""
][0]

# data_classes are the classes a resource holds: its data_classes plus any
# class named by a classification tag (comma separated values allowed).
data_classes(resource) := {c |
	some c in object.get(resource, "data_classes", [])
} if {
	object.get(resource, "tags", {}) == {} # no tag to name a class: the configured keys need no lookup
} else := {c |
	some c in object.get(resource, "data_classes", [])
} | {lower(trim_space(c)) |
	tags := object.get(resource, "tags", {})
	some key in params.value("classification_tag_keys")
	some c in split(tags[key], ",") # an absent key names no class (nothing to split)
	trim_space(c) != ""
}

# classified, personal and production are asked of the same resource by many
# checks. OPA keeps a function's value per arguments but not a failed call, so
# each answers false rather than nothing: false fails a condition the same way.

# classified holds when the resource holds any configured classified data.
classified(resource) if {
	some c in data_classes(resource)
	c in params.value("classified_data_classes")
} else := false

# personal holds when the resource holds personal or health data.
personal(resource) if {
	some c in data_classes(resource)
	c in params.value("personal_data_classes")
} else := false

# production holds when an environment tag names a production environment.
production(resource) if {
	lower(tag_value(resource, params.value("environment_tag_keys"))) in params.value("production_environments")
} else := false

# high_sensitivity holds when a sensitivity tag says high (SageMaker model risk).
high_sensitivity(resource) if {
	lower(tag_value(resource, params.value("sensitivity_tag_keys"))) in params.value("high_sensitivity_values")
}
