# METADATA
# title: Table holds classified columns but is not classified
# description: >-
#   Checks and reports rely on a table's data classes; a table whose columns
#   hold personal, health or card data without the matching class escapes the
#   controls and the record of where that data is processed.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-TBL-004
#   severity: low
#   resource_types: [postgresql_table]
#   controls:
#     gdpr: ["Art.30"]
#     soc2: ["C1.1"]
#     iso27001: ["A.5.12", "A.5.13"]
#   remediation: >-
#     Add the missing classes to the table's data classes (or its classification
#     tag), or correct the column classification if it is wrong.
package checks.postgres.table.unclassified_columns

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# The table-level data class each column classification implies.
_implied_class := {
	"pii": "pii",
	"email": "pii",
	"phone": "pii",
	"national_id": "pii",
	"phi": "phi",
	"pci": "pci",
	"pan": "pci",
}

_implied_keys := {k | some k, _ in _implied_class}

# The columns' classifications are gathered first and matched against the
# implying ones as sets: one lookup per class found instead of one per column.
_missing_classes(r) := {_implied_class[k] | some k in (_classifications(r) & _implied_keys)} - tags.data_classes(r)

_classifications(r) := {c.classification | some c in r.attributes.columns}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "columns") == "known"
	missing := _missing_classes(r)
	count(missing) > 0
	details := [sprintf("%s (%s)", [class, concat(", ", columns)]) |
		some class in sort(missing)
		columns := [c.name | some c in r.attributes.columns; _implied_class[c.classification] == class]
	]
	msg := sprintf("table %q is not classified for the data its columns hold: %s", [r.name, concat("; ", details)])
}

findings contains result.indeterminate(metadata, r, msg, ["columns"]) if {
	some r in resources
	state := result.attribute_state(r, "columns")
	state != "known"
	msg := sprintf("table %q: columns is %s", [r.name, result.state_text[state]])
}
