# METADATA
# title: Result builder shared by every check
# description: |
#   Builds finding objects from a check's METADATA block, so no check writes a
#   result by hand and every finding carries the same fields.
package lib.result

# check_metadata picks the package-scoped annotation of the calling check out of
# rego.metadata.chain(): the one whose custom block carries the check id.
check_metadata(chain) := {
	"check_id": a.custom.id,
	"title": a.title,
	"description": a.description,
	"severity": a.custom.severity,
	"resource_types": a.custom.resource_types,
	"controls": a.custom.controls,
	"remediation": a.custom.remediation,
} if {
	some entry in chain
	entry.annotations.scope == "package"
	a := entry.annotations
}

# fail is a finding for a resource that breaks the check. `check` is the check's
# metadata (its `metadata` rule, built once per check) or, as before, the raw
# rego.metadata.chain(): reading the chain and picking its package entry again for
# every finding cost more than judging the resource.
fail(check, resource, message) := _finding(check, resource, "fail", message, []) if {
	is_object(check)
} else := _finding(check_metadata(check), resource, "fail", message, []) if is_array(check)

# indeterminate is a finding for a resource whose value the check needs is not
# known (unknown until apply, or not collected): reported, never passed.
indeterminate(check, resource, message, paths) := _finding(check, resource, "indeterminate", message, paths) if {
	is_object(check)
} else := _finding(check_metadata(check), resource, "indeterminate", message, paths) if is_array(check)

# One object literal: the same fields as the metadata (less description and
# resource_types) united with the resource's, without object.union/remove.
_finding(m, resource, status, message, paths) := {
	"check_id": m.check_id,
	"title": m.title,
	"severity": m.severity,
	"controls": m.controls,
	"remediation": m.remediation,
	"resource": resource.address,
	"resource_type": resource.type,
	"status": status,
	"message": message,
	"paths": paths,
}

# attribute_state tells whether an attribute is usable: "known", "unknown"
# (only known after apply) or "missing" (absent from the inventory). A value is
# unknown when its own path, a parent (the whole block) or any part inside it
# (one list element, one setting) is listed in the resource's `unknown`.
attribute_state(resource, path) := "unknown" if {
	unknowns := resource.unknown
	unknowns != [] # most resources (every collected one) list nothing: skip the three lookups
	_unknown(unknowns, path)
} else := "known" if {
	# A key present with a null value counts as known: null is a collected fact
	# (for example "this bucket has no public access block"). Inline rather than
	# a helper function: a call per attribute cost as much as the lookup.
	object.get(resource.attributes, split(path, "."), {"opa-comply": "absent"}) != {"opa-comply": "absent"}
} else := "missing"

# The three overlaps are answered by builtins rather than by iterating the list in
# Rego: a plan resource can list dozens of unknown paths and every check asks about
# several attributes, which made this the costliest rule of a plan scan.
_unknown(unknowns, path) if path in unknowns

# A part inside the attribute is unknown.
_unknown(unknowns, path) if strings.any_prefix_match(unknowns, concat("", [path, "."]))

# A parent of the attribute (the whole block) is unknown.
_unknown(unknowns, path) if {
	some i in indexof_n(path, ".")
	substring(path, 0, i) in unknowns
}

# state_text words an attribute state for a finding's message.
state_text := {
	"unknown": "known only after apply",
	"missing": "missing from the inventory",
}
