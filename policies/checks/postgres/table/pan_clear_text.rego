# METADATA
# title: Card numbers stored in clear text
# description: >-
#   A column classified as primary account numbers (pan) that is not encrypted
#   keeps card numbers readable to anyone who can read the table, its backups or
#   the data files.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-TBL-002
#   severity: critical
#   resource_types: [postgresql_table]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1", "C1.1"]
#     iso27001: ["A.8.24", "A.8.11"]
#   remediation: >-
#     Replace the column with a token from a tokenisation service, a keyed hash,
#     or a value encrypted with a key held outside the database (for example
#     pgp_sym_encrypt into bytea), and purge the clear-text values and backups.
package checks.postgres.table.pan_clear_text

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_pan_columns(r) := [c | some c in r.attributes.columns; c.classification == "pan"]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "columns") == "known"
	clear := [c.name | some c in _pan_columns(r); object.get(c, "encrypted", null) == false]
	count(clear) > 0
	msg := sprintf("table %q stores card numbers unencrypted in column(s) %s", [r.name, concat(", ", clear)])
}

findings contains result.indeterminate(metadata, r, msg, ["columns"]) if {
	some r in resources
	state := result.attribute_state(r, "columns")
	state != "known"
	msg := sprintf("table %q: columns is %s", [r.name, result.state_text[state]])
}

# Indeterminate when no PAN column is known clear but one lacks the encrypted flag.
findings contains result.indeterminate(metadata, r, msg, ["columns"]) if {
	some r in resources
	result.attribute_state(r, "columns") == "known"
	undecided := [c.name | some c in _pan_columns(r); object.get(c, "encrypted", null) == null]
	count(undecided) > 0 # first: most tables hold no card number column to go through
	every c in _pan_columns(r) {
		object.get(c, "encrypted", null) != false
	}
	msg := sprintf("table %q: encrypted is missing from the inventory for card number column(s) %s", [
		r.name,
		concat(", ", undecided),
	])
}
