# METADATA
# title: Row-level security off on a table holding personal or health data
# description: >-
#   Without row-level security, every role with SELECT on a table holding
#   personal or health data sees every data subject's rows; policies let the
#   database itself limit each role to the rows it needs.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-TBL-001
#   severity: medium
#   resource_types: [postgresql_table]
#   controls:
#     gdpr: ["Art.25(1)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.8.3"]
#   remediation: >-
#     Write policies (CREATE POLICY) for the roles that use the table, then ALTER
#     TABLE ... ENABLE ROW LEVEL SECURITY (and FORCE ROW LEVEL SECURITY if the
#     owner role is used by applications).
package checks.postgres.table.row_security

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	tags.personal(r)
	result.attribute_state(r, "row_security") == "known"
	r.attributes.row_security == false
	msg := sprintf("table %q holds %s data with row-level security disabled", [
		r.name,
		concat(", ", sort(tags.data_classes(r))),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["row_security"]) if {
	some r in resources
	tags.personal(r)
	state := result.attribute_state(r, "row_security")
	state != "known"
	msg := sprintf("table %q: row_security is %s", [r.name, result.state_text[state]])
}
