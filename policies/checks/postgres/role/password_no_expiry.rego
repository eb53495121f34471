# METADATA
# title: Login role password never expires
# description: >-
#   A login role with a password and no VALID UNTIL date (or 'infinity') keeps
#   the same password for ever, so a leaked or guessed password stays usable
#   until someone notices. Roles without a password (certificate, peer or IAM
#   authentication) and the admin roles are not checked.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-ROLE-002
#   severity: medium
#   resource_types: [postgresql_role]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.3.9"]
#     soc2: ["CC6.1"]
#   remediation: >-
#     Rotate the password and set an expiry within the credential_max_age_days
#     parameter (ALTER ROLE ... PASSWORD ... VALID UNTIL '...'), or move the role
#     to certificate or IAM authentication and remove its password.
package checks.postgres.role.password_no_expiry

import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources contains r if {
	some r in input.resources
	r.type in metadata.resource_types
}

_deciding := ["rolname", "can_login", "password_set", "valid_until"]

_known(r, path) if result.attribute_state(r, path) == "known"

# rolvaliduntil is null when never set and 'infinity' when set to never expire.
_no_expiry := {null, "infinity"}

_cleared(r) if {
	_known(r, "can_login")
	r.attributes.can_login == false
}

_cleared(r) if {
	_known(r, "password_set")
	r.attributes.password_set == false
}

_cleared(r) if {
	_known(r, "valid_until")
	not r.attributes.valid_until in _no_expiry
}

_cleared(r) if {
	_known(r, "rolname")
	r.attributes.rolname in params.value("admin_roles")
}

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	every p in _deciding {
		_known(r, p)
	}
	not _cleared(r)
	msg := sprintf("login role %q has a password that never expires (valid_until = %v)", [
		r.attributes.rolname,
		r.attributes.valid_until,
	])
}

findings contains result.indeterminate(rego.metadata.chain(), r, msg, paths) if {
	some r in resources
	not _cleared(r)
	paths := [p | some p in _deciding; not _known(r, p)]
	count(paths) > 0
	reasons := [sprintf("%s is %s", [p, result.state_text[result.attribute_state(r, p)]]) | some p in paths]
	msg := sprintf("role %q: %s", [r.name, concat("; ", reasons)])
}
