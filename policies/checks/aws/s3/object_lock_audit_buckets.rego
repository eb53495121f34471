# METADATA
# title: Audit-log or evidence bucket without Object Lock retention
# description: >-
#   Buckets that keep audit logs or compliance evidence must be immutable for
#   the retention period, so an administrator or an attacker with the keys
#   cannot delete or overwrite the record. That needs Object Lock on with a
#   default retention at least as long as the records must be kept. Such
#   buckets are the ones whose purpose tag names audit logs or evidence.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-007
#   severity: high
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     hipaa: ["164.312(b)", "164.312(c)(1)"]
#     pci_dss: ["10.3.2", "10.5.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.5.28", "A.5.33"]
#   remediation: >-
#     Create the bucket with object_lock_enabled = true and add an
#     aws_s3_bucket_object_lock_configuration whose rule sets a
#     default_retention (mode COMPLIANCE, days or years covering the retention
#     period). Object Lock can be enabled on an existing versioned bucket
#     through the S3 API.
package checks.aws.s3.object_lock_audit_buckets

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

# How long each kind of record must be kept: audit logs as long as logs,
# evidence as long as the strictest framework's evidence retention.
required_days(purpose) := params.value("minimum_log_retention_days") if {
	purpose in params.value("audit_log_purposes")
} else := max([d | some d in params.value("evidence_retention_days")])

metadata := result.check_metadata(rego.metadata.chain())

# Only buckets holding audit logs or evidence are in scope.
resources := {r | some r in inventory.of(metadata); _purpose(r) in _locked_purposes}

_locked_purposes := array.concat(params.value("audit_log_purposes"), params.value("evidence_purposes"))

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "object_lock_configuration") == "known"
	not is_object(r.attributes.object_lock_configuration)
	msg := sprintf("S3 bucket %q holds %s but has Object Lock off", [r.name, _purpose(r)])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "object_lock_configuration") == "known"
	lock := r.attributes.object_lock_configuration
	is_object(lock)
	not _default_retention(lock)
	msg := sprintf("S3 bucket %q holds %s but its Object Lock sets no default retention", [r.name, _purpose(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["object_lock_configuration"]) if {
	some r in resources
	state := result.attribute_state(r, "object_lock_configuration")
	state != "known"
	msg := sprintf("S3 bucket %q: object_lock_configuration is %s", [r.name, result.state_text[state]])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "object_lock_configuration") == "known"
	lock := r.attributes.object_lock_configuration
	is_object(lock)
	_default_retention(lock)
	kept := _retention_days(lock)
	needed := required_days(_purpose(r))
	kept < needed
	msg := sprintf("S3 bucket %q holds %s locked for %d days, less than the %d days required", [r.name, _purpose(r), kept, needed])
}

_purpose(r) := lower(tags.tag_value(r, params.value("record_purpose_tag_keys")))

# A year of retention counts as 365 days; an unset (null) period counts as 0.
_retention_days(lock) := max([
	_number(object.get(lock, ["rule", "default_retention", "days"], 0)),
	_number(object.get(lock, ["rule", "default_retention", "years"], 0)) * 365,
])

_number(x) := x if is_number(x)

_number(x) := 0 if not is_number(x)

# object_lock_enabled can only be "Enabled" (its default when absent); a
# default retention needs a mode and a period in days or years.
_default_retention(lock) if {
	object.get(lock, "object_lock_enabled", "Enabled") == "Enabled"
	retention := object.get(lock, ["rule", "default_retention"], null)
	is_object(retention)
	object.get(retention, "mode", null) in {"GOVERNANCE", "COMPLIANCE"}
	some period in ["days", "years"]
	object.get(retention, period, 0) > 0
}
