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
#     iso27001: ["A.5.17"]
#   remediation: >-
#     Rotate the password and set an expiry within the credential_max_age_days
#     parameter (ALTER ROLE ... PASSWORD ... VALID UNTIL '...'), or move the role
#     to certificate or IAM authentication and remove its password.
package checks.postgres.role.password_no_expiry

import data.lib.inventory
import data.lib.params
import data.lib.postgres
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_deciding := ["rolname", "can_login", "password_set", "valid_until"]

_known(r, path) if result.attribute_state(r, path) == "known"

# rolvaliduntil is null when never set and 'infinity' (in any case) when set to
# never expire; a date (RFC 3339 or PostgreSQL's own output, both starting
# with YYYY-MM-DD) or '-infinity' sets an expiry. Anything else (an empty
# string, a value that is not text) is undefined: the check cannot judge it.
#
# A date is not compared with credential_max_age_days: an inventory carries no
# time the check may measure it from (the clock would make results depend on
# when the scan runs), so an expiry set years ahead passes. The remediation asks
# for an expiry within that parameter.
_expiry(value) := "never" if {
	value == null
} else := "never" if {
	postgres.setting_enum(value) == "infinity"
} else := "set" if {
	postgres.setting_enum(value) == "-infinity"
} else := "set" if {
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`, postgres.setting_enum(value))
}

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
	_expiry(r.attributes.valid_until) == "set"
}

_cleared(r) if {
	_known(r, "rolname")
	r.attributes.rolname in params.value("admin_roles")
}

# A deciding attribute the check cannot use: not collected, or (valid_until)
# neither null, a date nor infinity.
_unsettled(r, path) if not _known(r, path)

_unsettled(r, "valid_until") if {
	_known(r, "valid_until")
	not _expiry(r.attributes.valid_until)
}

_reason(r, "valid_until") := sprintf("valid_until = %s is neither a date nor infinity", [json.marshal(r.attributes.valid_until)]) if {
	_known(r, "valid_until")
} else := sprintf("%s is %s", ["valid_until", result.state_text[result.attribute_state(r, "valid_until")]])

_reason(r, path) := sprintf("%s is %s", [path, result.state_text[result.attribute_state(r, path)]]) if {
	path != "valid_until"
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	every p in _deciding {
		_known(r, p)
	}
	not _cleared(r)
	_expiry(r.attributes.valid_until) == "never"
	msg := sprintf("login role %q has a password that never expires (valid_until = %v)", [
		r.attributes.rolname,
		r.attributes.valid_until,
	])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	not _cleared(r)
	paths := [p | some p in _deciding; _unsettled(r, p)]
	count(paths) > 0
	reasons := [_reason(r, p) | some p in paths]
	msg := sprintf("role %q: %s", [r.name, concat("; ", reasons)])
}
