# METADATA
# title: Classified table grants privileges to PUBLIC
# description: >-
#   A privilege granted to PUBLIC on a table holding classified data (personal,
#   health, card or confidential) extends to every role in the cluster, present
#   and future, so anyone who can log in can read or change that data.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-PRIV-002
#   severity: critical
#   resource_types: [postgresql_table]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.308(a)(4)(ii)(B)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3", "C1.1"]
#     iso27001: ["A.8.3", "A.5.15"]
#   remediation: >-
#     REVOKE ALL ON TABLE ... FROM PUBLIC, grant the needed privileges to named
#     roles, and fix ALTER DEFAULT PRIVILEGES so new tables do not grant to PUBLIC.
package checks.postgres.table.public_privileges

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_public_privileges(r) := {upper(privilege) |
	some entry in r.attributes.acl
	upper(entry.grantee) == "PUBLIC"
	some privilege in entry.privileges
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	tags.classified(r)
	result.attribute_state(r, "acl") == "known"
	granted := _public_privileges(r)
	count(granted) > 0
	msg := sprintf("table %q holds %s data and grants %s to PUBLIC", [
		r.name,
		concat(", ", sort(tags.data_classes(r))),
		concat(", ", sort(granted)),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["acl"]) if {
	some r in resources
	tags.classified(r)
	state := result.attribute_state(r, "acl")
	state != "known"
	msg := sprintf("table %q: acl is %s", [r.name, result.state_text[state]])
}
