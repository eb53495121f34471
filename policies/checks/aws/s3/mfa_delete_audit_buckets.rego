# METADATA
# title: Audit-log or evidence bucket without MFA delete
# description: >-
#   On a bucket that keeps audit logs or compliance evidence, MFA delete makes
#   permanently deleting an object version, or suspending versioning, need
#   the root user's MFA device as well as its credentials, so stolen keys
#   alone cannot erase the record. Such buckets are the ones whose purpose tag
#   names audit logs or evidence (the same as AWS-S3-007).
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-009
#   severity: medium
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     hipaa: ["164.312(b)", "164.312(c)(1)"]
#     pci_dss: ["10.3.2"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.5.33"]
#   remediation: >-
#     Turn versioning on with MFA delete: as the root user with its MFA
#     device, call PutBucketVersioning with MFADelete Enabled (or set
#     versioning_configuration.mfa_delete = "Enabled" and the mfa argument of
#     aws_s3_bucket_versioning). Object Lock (AWS-S3-007) complements it.
package checks.aws.s3.mfa_delete_audit_buckets

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only buckets holding audit logs or evidence are in scope.
resources := {r | some r in inventory.of(metadata); _purpose(r) in _locked_purposes}

_locked_purposes := array.concat(params.value("audit_log_purposes"), params.value("evidence_purposes"))

_purpose(r) := lower(tags.tag_value(r, params.value("record_purpose_tag_keys")))

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "versioning") == "known"
	r.attributes.versioning == null
	msg := sprintf("S3 bucket %q holds %s without versioning, so MFA delete is off", [r.name, _purpose(r)])
}

# A null MFA delete was never configured: off.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "versioning.mfa_delete") == "known"
	value := r.attributes.versioning.mfa_delete
	value in {"Disabled", null}
	msg := sprintf("S3 bucket %q holds %s with MFA delete off (versioning.mfa_delete = %s)", [r.name, _purpose(r), _text(value)])
}

# The whole versioning block not collected, or known only after apply.
findings contains result.indeterminate(metadata, r, msg, ["versioning"]) if {
	some r in resources
	state := result.attribute_state(r, "versioning")
	_whole_versioning_undecided(r, state)
	msg := sprintf("S3 bucket %q: versioning is %s", [r.name, result.state_text[state]])
}

# A versioning block whose MFA delete setting is not collected or known only
# after apply (another part of the block may be unknown beside it).
findings contains result.indeterminate(metadata, r, msg, ["versioning.mfa_delete"]) if {
	some r in resources
	not _whole_versioning_undecided(r, result.attribute_state(r, "versioning"))
	is_object(object.get(r.attributes, "versioning", null))
	state := result.attribute_state(r, "versioning.mfa_delete")
	state != "known"
	msg := sprintf("S3 bucket %q: versioning.mfa_delete is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["versioning.mfa_delete"]) if {
	some r in resources
	result.attribute_state(r, "versioning.mfa_delete") == "known"
	value := r.attributes.versioning.mfa_delete
	not value in {"Enabled", "Disabled", null}
	msg := sprintf("S3 bucket %q: versioning.mfa_delete is neither Enabled nor Disabled (%s)", [r.name, _text(value)])
}

findings contains result.indeterminate(metadata, r, msg, ["versioning"]) if {
	some r in resources
	result.attribute_state(r, "versioning") == "known"
	value := r.attributes.versioning
	value != null
	not is_object(value)
	msg := sprintf("S3 bucket %q: versioning is not an object (%s)", [r.name, _text(value)])
}

_whole_versioning_undecided(_, "missing")

_whole_versioning_undecided(r, "unknown") if "versioning" in object.get(r, "unknown", [])

# Part of it unknown and no block to read the rest from.
_whole_versioning_undecided(r, "unknown") if not is_object(object.get(r.attributes, "versioning", null))

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
