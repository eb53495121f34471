# METADATA
# title: Direct identifiers in an analytics schema
# description: >-
#   Analytics and reporting rarely need to know who a person is; e-mail
#   addresses, phone numbers and national identifiers copied into an analytics
#   schema spread personal data to every analyst and tool that reads it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-TBL-003
#   severity: medium
#   resource_types: [postgresql_table]
#   controls:
#     gdpr: ["Art.5(1)(c)", "Art.25(1)"]
#     iso27001: ["A.8.11", "A.5.34"]
#   remediation: >-
#     Drop the identifier columns from the analytics table, or replace them with
#     a keyed hash (pseudonym) computed in the load job; keep the mapping only in
#     the operational schema.
package checks.postgres.table.identifiers_in_analytics

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Column classifications that name a person directly.
_direct_identifiers := {"email", "phone", "national_id"}

# false rather than nothing, so OPA keeps the answer for the two rules asking.
_in_analytics(r) if {
	r.attributes.schema in params.value("analytics_schemas")
} else := false

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "schema") == "known"
	_in_analytics(r)
	result.attribute_state(r, "columns") == "known"
	found := [sprintf("%s (%s)", [c.name, c.classification]) |
		some c in r.attributes.columns
		c.classification in _direct_identifiers
	]
	count(found) > 0
	msg := sprintf("table %q in analytics schema %q holds direct identifiers: %s", [
		r.name,
		r.attributes.schema,
		concat(", ", found),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["schema"]) if {
	some r in resources
	state := result.attribute_state(r, "schema")
	state != "known"
	msg := sprintf("table %q: schema is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["columns"]) if {
	some r in resources
	result.attribute_state(r, "schema") == "known"
	_in_analytics(r)
	state := result.attribute_state(r, "columns")
	state != "known"
	msg := sprintf("table %q: columns is %s", [r.name, result.state_text[state]])
}
