# METADATA
# title: Inventory index
# description: |
#   The input's resources grouped by type, built once per query. Every check
#   reads its resources from here, in one line (resources := of(metadata)):
#   scanning input.resources in each of some eighty checks made a scan cost
#   checks x resources instead of resources.
package lib.inventory

# types are the resource types present in the input.
types contains r.type if some r in input.resources

# by_type[t] is the set of resources of type t. The inner comprehension closes
# over t, so OPA indexes it (comprehension indexing): one pass over the input
# groups every type. Written as one object comprehension on purpose: the same
# grouping as a partial object rule (by_type[t] := rs if ...) is not indexed by
# OPA 1.x and scans the input once per type. Sets, so that a check of one type
# gets its type's set itself rather than a copy built (and sorted) per check.
by_type := {t: rs |
	some t in types
	rs := {r | some r in input.resources; r.type == t}
}

# of(metadata) is the set of resources a check evaluates: those of the types
# its metadata lists (metadata.resource_types), looked up in by_type so that no
# check scans input.resources. A check that narrows its scope filters this set.
of(metadata) := object.get(by_type, metadata.resource_types[0], set()) if {
	count(metadata.resource_types) == 1
} else := {r |
	some t in metadata.resource_types
	some r in by_type[t]
}
