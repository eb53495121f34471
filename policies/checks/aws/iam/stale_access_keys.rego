# METADATA
# title: IAM user with an active access key older than allowed
# description: >-
#   Long-lived access keys end up in scripts, CI variables and laptops; the
#   longer one lives the likelier it has leaked. Active keys must be rotated
#   within credential_max_age_days.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-004
#   severity: medium
#   resource_types: [aws_iam_user]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.3.9", "8.6.3"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17", "A.5.18"]
#   remediation: >-
#     Create a new access key, move its users to it, deactivate and then delete
#     the old one; better, replace user keys with IAM roles or IAM Identity
#     Center short-term credentials.
package checks.aws.iam.stale_access_keys

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "access_keys") == "known"
	stale := _stale(r)
	count(stale) > 0
	msg := sprintf(
		"IAM user %q has active access key(s) older than %d days: %s",
		[r.name, params.value("credential_max_age_days"), concat(", ", stale)],
	)
}

findings contains result.indeterminate(metadata, r, msg, ["access_keys"]) if {
	some r in resources
	state := result.attribute_state(r, "access_keys")
	state != "known"
	msg := sprintf("IAM user %q: access_keys is %s", [r.name, result.state_text[state]])
}

# A key whose status is not collected, or an active key whose age is not,
# leaves the user undecided unless another key already fails it.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	result.attribute_state(r, "access_keys") == "known"
	count(_stale(r)) == 0
	paths := [path |
		some i, key in r.attributes.access_keys
		some field in _undecided_fields(key)
		path := sprintf("access_keys.%d.%s", [i, field])
	]
	count(paths) > 0
	msg := sprintf("IAM user %q: %s missing from the inventory", [r.name, concat(", ", paths)])
}

# Active keys older than the maximum, by position (key ids are not printed).
_stale(r) := [sprintf("access_keys[%d] (%d days)", [i, key.age_days]) |
	some i, key in r.attributes.access_keys
	object.get(key, "status", "") == "Active"
	object.get(key, "age_days", 0) > params.value("credential_max_age_days")
]

_undecided_fields(key) := ["status"] if {
	not is_string(object.get(key, "status", null))
} else := ["age_days"] if {
	key.status == "Active"
	not is_number(object.get(key, "age_days", null))
} else := []
