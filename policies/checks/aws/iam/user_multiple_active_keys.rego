# METADATA
# title: IAM user with more than one active access key
# description: >-
#   A second active key is meant only for the minutes of a rotation; kept
#   longer, it doubles what can leak and usually means the old key was never
#   retired (CIS AWS Foundations 1.13).
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-111
#   severity: medium
#   resource_types: [aws_iam_user]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.3.9", "8.6.3"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17"]
#   remediation: >-
#     Find which key is still used (its last-used date), move everything to
#     it, then deactivate and delete the other; better, replace user keys with
#     roles or IAM Identity Center short-term credentials.
package checks.aws.iam.user_multiple_active_keys

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_readable(r)
	active := _active(r)
	count(active) > 1
	msg := sprintf("IAM user %q has %d active access keys: %s", [r.name, count(active), concat(", ", active)])
}

findings contains result.indeterminate(metadata, r, msg, ["access_keys"]) if {
	some r in resources
	state := result.attribute_state(r, "access_keys")
	state != "known"
	msg := sprintf("IAM user %q: access_keys is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["access_keys"]) if {
	some r in resources
	result.attribute_state(r, "access_keys") == "known"
	not is_array(r.attributes.access_keys)
	msg := sprintf("IAM user %q: access_keys is not a list of keys", [r.name])
}

# Keys whose status is not known could make a second active one.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	_readable(r)
	count(_active(r)) <= 1
	paths := [sprintf("access_keys.%d.status", [i]) |
		some i, key in r.attributes.access_keys
		not is_string(object.get(key, "status", null))
	]
	count(paths) > 0
	count(_active(r)) + count(paths) > 1
	msg := sprintf("IAM user %q: %s missing from the inventory", [r.name, concat(", ", paths)])
}

_readable(r) if {
	result.attribute_state(r, "access_keys") == "known"
	is_array(r.attributes.access_keys)
}

# Active keys by position (key ids are not printed).
_active(r) := [sprintf("access_keys[%d]", [i]) |
	some i, key in r.attributes.access_keys
	object.get(key, "status", "") == "Active"
]
