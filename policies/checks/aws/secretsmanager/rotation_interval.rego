# METADATA
# title: Secrets Manager rotation interval longer than the maximum credential age
# description: >-
#   Rotation only bounds a leaked secret's useful life if it runs often enough;
#   an interval longer than the maximum credential age keeps credentials valid
#   beyond what the policy allows.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SEC-002
#   severity: low
#   resource_types: [aws_secretsmanager_secret]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.6.3"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17"]
#   remediation: >-
#     Set rotation_rules.automatically_after_days (or a rate() schedule) to at
#     most the credential_max_age_days parameter (90 by default).
package checks.aws.secretsmanager.rotation_interval

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Secrets without rotation are AWS-SEC-001's finding, not this check's.
resources := {r | some r in inventory.of(metadata); not _rotation_off(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "rotation_rules") == "known"
	[days, setting] := _interval(r.attributes.rotation_rules)
	maximum := params.value("credential_max_age_days")
	days > maximum
	msg := sprintf("%s %q is rotated every %v days, longer than the maximum credential age of %d days (%s)", [
		r.type, r.name, days, maximum, setting,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["rotation_rules"]) if {
	some r in resources
	state := result.attribute_state(r, "rotation_rules")
	state != "known"
	msg := sprintf("%s %q: rotation_rules is %s", [r.type, r.name, result.state_text[state]])
}

# A cron schedule (or no interval at all) cannot be compared with a number of days.
findings contains result.indeterminate(metadata, r, msg, ["rotation_rules"]) if {
	some r in resources
	result.attribute_state(r, "rotation_rules") == "known"
	not _interval(r.attributes.rotation_rules)
	expression := object.get(r.attributes.rotation_rules, "schedule_expression", null)
	msg := sprintf("%s %q: the rotation interval cannot be read from rotation_rules (schedule_expression = %s)", [
		r.type, r.name, _text(expression),
	])
}

# The rotation interval in days and the setting it comes from.
_interval(rules) := [days, sprintf("rotation_rules.automatically_after_days = %d", [days])] if {
	days := object.get(rules, "automatically_after_days", null)
	is_number(days)
} else := [to_number(m[0][1]), _expression_text(expression)] if {
	expression := _schedule(rules)
	m := regex.find_all_string_submatch_n(`^rate\(\s*(\d+)\s+days?\s*\)$`, expression, 1)
	count(m) == 1
} else := [to_number(m[0][1]) / 24, _expression_text(expression)] if {
	expression := _schedule(rules)
	m := regex.find_all_string_submatch_n(`^rate\(\s*(\d+)\s+hours?\s*\)$`, expression, 1)
	count(m) == 1
}

# The schedule expression, only when it is a string: a null or other value never
# reaches the regex builtins (an error under --strict-builtin-errors).
_schedule(rules) := expression if {
	expression := object.get(rules, "schedule_expression", null)
	is_string(expression)
}

_expression_text(expression) := sprintf("rotation_rules.schedule_expression = %q", [expression])

_text(value) := "null" if value == null

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if {
	value != null
	not is_string(value)
}

_rotation_off(r) if {
	result.attribute_state(r, "rotation_enabled") == "known"
	r.attributes.rotation_enabled == false
}

_rotation_off(r) if {
	result.attribute_state(r, "rotation_rules") == "known"
	not is_object(r.attributes.rotation_rules)
}
