# METADATA
# title: IAM account password policy too weak
# description: >-
#   Short passwords without character classes, passwords that never expire and
#   reused passwords are easy to guess, spray or replay. The policy must ask for
#   14 or more characters with symbols, numbers, upper and lower case letters,
#   expiry within credential_max_age_days and no reuse of the last 24.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-006
#   severity: medium
#   resource_types: [aws_iam_account_password_policy]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.3.6", "8.3.7", "8.3.9"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17", "A.8.5"]
#   remediation: >-
#     Set minimum_password_length = 14 or more, require_symbols,
#     require_numbers, require_uppercase_characters and
#     require_lowercase_characters = true, max_password_age between 1 and the
#     credential maximum age (90 days by default) and password_reuse_prevention
#     = 24.
package checks.aws.iam.password_policy

import data.lib.inventory
import data.lib.params
import data.lib.result

# Thresholds are parameters (defaults from CIS AWS Foundations: 14 and 24);
# the expiry uses credential_max_age_days.
minimum_length := params.value("minimum_password_length")

minimum_reuse_prevention := params.value("password_reuse_prevention")

required_classes := [
	"require_symbols",
	"require_numbers",
	"require_uppercase_characters",
	"require_lowercase_characters",
]

# The settings in the order findings name them.
settings := array.concat(["minimum_password_length"], array.concat(required_classes, ["max_password_age", "password_reuse_prevention"]))

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Every setting already known to be weak is named, even when another setting
# is unknown or missing.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	weak := _weak(r)
	count(weak) > 0
	msg := sprintf("IAM account password policy %q is weak: %s", [r.name, concat("; ", weak)])
}

findings contains result.indeterminate(metadata, r, msg, undecided) if {
	some r in resources
	count(_weak(r)) == 0
	undecided := [setting |
		some setting in settings
		result.attribute_state(r, setting) != "known"
	]
	count(undecided) > 0
	reasons := [sprintf("%s is %s", [s, result.state_text[result.attribute_state(r, s)]]) | some s in undecided]
	msg := sprintf("IAM account password policy %q: %s", [r.name, concat(", ", reasons)])
}

_weak(r) := [text |
	some setting in settings
	result.attribute_state(r, setting) == "known"
	text := _weakness(setting, r.attributes[setting])
]

# _weakness describes a weak setting value; it is undefined for a strong one.
# A null or 0 expiry means passwords never expire; null reuse prevention is 0.
_weakness(setting, v) := sprintf("%s %d (< %d)", [setting, v, minimum_length]) if {
	setting == "minimum_password_length"
	v < minimum_length
} else := sprintf("%s false", [setting]) if {
	setting in required_classes
	v != true
} else := "max_password_age 0 (passwords never expire)" if {
	setting == "max_password_age"
	_number_or_zero(v) == 0
} else := sprintf("max_password_age %d (> %d)", [v, params.value("credential_max_age_days")]) if {
	setting == "max_password_age"
	v > params.value("credential_max_age_days")
} else := sprintf("password_reuse_prevention %d (< %d)", [_number_or_zero(v), minimum_reuse_prevention]) if {
	setting == "password_reuse_prevention"
	_number_or_zero(v) < minimum_reuse_prevention
}

_number_or_zero(v) := v if is_number(v)

_number_or_zero(v) := 0 if not is_number(v)
