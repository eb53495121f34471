# METADATA
# title: IAM user credentials left unused
# description: >-
#   A console password or an active access key nobody has used for weeks
#   belongs to someone who left or a job that stopped; it still works for
#   whoever finds it, and nobody would notice it being used (CIS AWS
#   Foundations 1.12).
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-112
#   severity: medium
#   resource_types: [aws_iam_user]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(3)(ii)(C)", "164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.2.6"]
#     soc2: ["CC6.2"]
#     iso27001: ["A.5.18"]
#   remediation: >-
#     Delete the login profile and deactivate (then delete) the access keys
#     unused for longer than credential_unused_max_days; remove the user when
#     nobody owns it.
package checks.aws.iam.user_unused_credentials

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_max := params.value("credential_unused_max_days")

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	stale := array.concat(_stale_password(r), _stale_keys(r))
	count(stale) > 0
	msg := sprintf("IAM user %q has credentials unused for more than %d days: %s", [r.name, _max, concat(", ", stale)])
}

# Undecided only where nothing fails: a password or key whose use is not known.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	count(_stale_password(r)) + count(_stale_keys(r)) == 0
	paths := array.concat(_password_undecided(r), _keys_undecided(r))
	count(paths) > 0
	msg := sprintf("IAM user %q: %s not known", [r.name, concat(", ", paths)])
}

_known(r, path) if result.attribute_state(r, path) == "known"

# --- Console password ---------------------------------------------------------

# false rather than nothing, so OPA keeps the answer for the four rules asking.
_has_password(r) if {
	_known(r, "password_enabled")
	r.attributes.password_enabled == true
} else := false

_stale_password(r) := [sprintf("console password (last used %d days ago)", [days])] if {
	_has_password(r)
	_known(r, "password_last_used_days")
	days := r.attributes.password_last_used_days
	is_number(days)
	days > _max
} else := [sprintf("console password (never used, created %d days ago)", [age])] if {
	_has_password(r)
	_known(r, "password_last_used_days")
	r.attributes.password_last_used_days == null
	_known(r, "password_age_days")
	age := r.attributes.password_age_days
	is_number(age)
	age > _max
} else := []

_password_undecided(r) := ["password_enabled"] if {
	not _known(r, "password_enabled")
} else := ["password_enabled"] if {
	not is_boolean(r.attributes.password_enabled)
} else := ["password_last_used_days"] if {
	_has_password(r)
	not _readable_days(r, "password_last_used_days")
} else := ["password_age_days"] if {
	_has_password(r)
	r.attributes.password_last_used_days == null
	not _readable_age(r)
} else := []

_readable_days(r, path) if {
	_known(r, path)
	is_number(r.attributes[path])
}

_readable_days(r, path) if {
	_known(r, path)
	r.attributes[path] == null
}

_readable_age(r) if {
	_known(r, "password_age_days")
	is_number(r.attributes.password_age_days)
}

# --- Access keys ----------------------------------------------------------------

_keys(r) := r.attributes.access_keys if {
	_known(r, "access_keys")
	is_array(r.attributes.access_keys)
}

_stale_keys(r) := [text |
	some i, key in _keys(r)
	object.get(key, "status", "") == "Active"
	text := _stale_key(i, key)
]

_stale_key(i, key) := sprintf("access_keys[%d] (last used %d days ago)", [i, key.last_used_days]) if {
	is_number(object.get(key, "last_used_days", null))
	key.last_used_days > _max
} else := sprintf("access_keys[%d] (never used, created %d days ago)", [i, key.age_days]) if {
	"last_used_days" in object.keys(key)
	key.last_used_days == null
	is_number(object.get(key, "age_days", null))
	key.age_days > _max
}

_keys_undecided(r) := ["access_keys"] if {
	not _keys(r)
} else := [path |
	some i, key in r.attributes.access_keys
	some field in _key_undecided(key)
	path := sprintf("access_keys.%d.%s", [i, field])
]

_key_undecided(key) := ["status"] if {
	not is_string(object.get(key, "status", null))
} else := ["last_used_days"] if {
	key.status == "Active"
	not _key_days_readable(key)
} else := ["age_days"] if {
	key.status == "Active"
	key.last_used_days == null
	not is_number(object.get(key, "age_days", null))
} else := []

_key_days_readable(key) if is_number(object.get(key, "last_used_days", null))

_key_days_readable(key) if {
	"last_used_days" in object.keys(key)
	key.last_used_days == null
}
