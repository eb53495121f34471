# METADATA
# title: Login role with SUPERUSER outside the admin roles
# description: >-
#   A superuser bypasses every privilege check and row-level security policy and
#   can run operating system commands; any login role holding it beyond the
#   designated admin roles widens who can read and change all data.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-ROLE-001
#   severity: high
#   resource_types: [postgresql_role]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.308(a)(4)(ii)(B)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.8.2"]
#   remediation: >-
#     ALTER ROLE ... NOSUPERUSER and grant the role only the privileges its job
#     needs (predefined roles such as pg_monitor, or object grants); keep
#     superuser to the roles listed in the admin_roles parameter.
package checks.postgres.role.superuser_login

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_deciding := ["rolname", "superuser", "can_login"]

_known(r, path) if result.attribute_state(r, path) == "known"

# Any one known fact that clears the role.
_cleared(r) if {
	_known(r, "superuser")
	r.attributes.superuser == false
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
	msg := sprintf("login role %q has SUPERUSER and is not one of the admin roles (%s)", [
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
