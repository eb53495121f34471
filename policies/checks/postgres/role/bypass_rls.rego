# METADATA
# title: Login role with BYPASSRLS outside the admin roles
# description: >-
#   BYPASSRLS makes a role ignore every row-level security policy, so it reads
#   and changes all rows of tables that rely on policies to separate tenants or
#   data subjects.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-ROLE-003
#   severity: medium
#   resource_types: [postgresql_role]
#   controls:
#     gdpr: ["Art.25(1)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.2"]
#     soc2: ["CC6.3"]
#     iso27001: ["A.8.2", "A.8.3"]
#   remediation: >-
#     ALTER ROLE ... NOBYPASSRLS; give jobs that must see every row (backups,
#     migrations) a separate role without LOGIN that operators SET ROLE to.
package checks.postgres.role.bypass_rls

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_deciding := ["rolname", "bypass_rls", "can_login"]

_known(r, path) if result.attribute_state(r, path) == "known"

_cleared(r) if {
	_known(r, "bypass_rls")
	r.attributes.bypass_rls == false
}

_cleared(r) if {
	_known(r, "can_login")
	r.attributes.can_login == false
}

_cleared(r) if {
	_known(r, "rolname")
	r.attributes.rolname in params.value("admin_roles")
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	every p in _deciding {
		_known(r, p)
	}
	not _cleared(r)
	msg := sprintf("login role %q has BYPASSRLS and is not one of the admin roles (%s)", [
		r.attributes.rolname,
		concat(", ", params.value("admin_roles")),
	])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	not _cleared(r)
	paths := [p | some p in _deciding; not _known(r, p)]
	count(paths) > 0
	reasons := [sprintf("%s is %s", [p, result.state_text[result.attribute_state(r, p)]]) | some p in paths]
	msg := sprintf("role %q: %s", [r.name, concat("; ", reasons)])
}
