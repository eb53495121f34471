# METADATA
# title: GRANT on a classified table to PUBLIC or a login role in the period
# description: >-
#   A GRANT in the audit period gave PUBLIC (every role, present and future) or a
#   role that can log in direct privileges on a table classified as holding
#   personal, health or card data. Access to such tables should go through
#   group roles without LOGIN, so that who may read them is decided in one
#   reviewed place.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-AUD-001
#   severity: high
#   resource_types: [postgresql_audit_summary]
#   controls:
#     gdpr: ["Art.25(1)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.308(a)(4)(ii)(C)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.18", "A.8.3"]
#   remediation: >-
#     REVOKE the privileges from PUBLIC or the login role, grant them to a group
#     role without LOGIN and make the people or services that need them members
#     of it; check the change against its approval record.
package checks.postgres.audit.classified_grant

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_deciding := ["classified_grants", "classified_grants_total"]

_known(r, path) if result.attribute_state(r, path) == "known"

# A grantee the GRANT made: PUBLIC, or a role known to log in.
_exposed(g) := [name |
	count(object.get(g, "data_classes", [])) > 0
	grantees := object.get(g, "grantees", null)
	is_array(grantees)
	some e in grantees
	_open(e)
	name := object.get(e, "name", "?")
]

_open(e) if object.get(e, "public", false) == true

_open(e) if object.get(e, "login", false) == true

# A GRANT whose grantees could not be read, or one to a role not known to log in or not.
_undecided(g) if not is_array(object.get(g, "grantees", null))

_undecided(g) if {
	count(object.get(g, "data_classes", [])) > 0
	some e in g.grantees
	object.get(e, "public", null) != true
	object.get(e, "login", null) == null
}

_bad(r) := [sprintf("%s on %s to %s", [object.get(g, "time", "?"), concat(", ", object.get(g, "objects", [])), concat(", ", names)]) |
	some g in r.attributes.classified_grants
	g.command == "GRANT"
	names := _exposed(g)
	count(names) > 0
]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_known(r, "classified_grants")
	bad := _bad(r)
	count(bad) > 0
	msg := sprintf("%q: %d GRANT(s) on classified tables to PUBLIC or a login role in the period (first: %s)", [r.name, count(bad), bad[0]])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	paths := [p | some p in _deciding; not _known(r, p)]
	count(paths) > 0
	reasons := [sprintf("%s is %s", [p, result.state_text[result.attribute_state(r, p)]]) | some p in paths]
	msg := sprintf("%q: %s", [r.name, concat("; ", reasons)])
}

findings contains result.indeterminate(metadata, r, msg, ["classified_grants"]) if {
	some r in resources
	every p in _deciding {
		_known(r, p)
	}
	count(_bad(r)) == 0
	some g in r.attributes.classified_grants
	g.command == "GRANT"
	_undecided(g)
	msg := sprintf("%q: a GRANT in the period names grantees whose login right is not known (or could not be read)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["classified_grants"]) if {
	some r in resources
	every p in _deciding {
		_known(r, p)
	}
	count(_bad(r)) == 0
	not _any_undecided(r)
	r.attributes.classified_grants_total > count(r.attributes.classified_grants)
	msg := sprintf("%q: only %d of %d GRANTs on classified tables are listed", [r.name, count(r.attributes.classified_grants), r.attributes.classified_grants_total])
}

_any_undecided(r) if {
	some g in r.attributes.classified_grants
	g.command == "GRANT"
	_undecided(g)
}
