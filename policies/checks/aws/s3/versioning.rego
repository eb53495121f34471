# METADATA
# title: S3 bucket versioning not enabled
# description: >-
#   Without versioning an overwrite or delete, by mistake, by an attacker or by
#   ransomware, destroys the only copy of an object; versioning keeps earlier
#   versions recoverable.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-004
#   severity: medium
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.32(1)(b)", "Art.32(1)(c)"]
#     hipaa: ["164.312(c)(1)", "164.308(a)(7)(ii)(A)"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13"]
#   remediation: >-
#     Add an aws_s3_bucket_versioning with versioning_configuration status =
#     "Enabled", and a lifecycle rule expiring noncurrent versions after the
#     recovery window.
package checks.aws.s3.versioning

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	status := _status(r)
	status != "Enabled"
	msg := sprintf("S3 bucket %q has versioning %s, not Enabled", [r.name, status])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	[path, state] := _undecided(r)
	msg := sprintf("S3 bucket %q: %s is %s", [r.name, path, result.state_text[state]])
}

# A bucket whose versioning was never configured reports no configuration.
_status(r) := "off (never configured)" if {
	result.attribute_state(r, "versioning") == "known"
	not is_object(r.attributes.versioning)
}

_status(r) := r.attributes.versioning.status if {
	result.attribute_state(r, "versioning.status") == "known"
}

_undecided(r) := ["versioning", state] if {
	state := result.attribute_state(r, "versioning")
	state != "known"
} else := ["versioning.status", "missing"] if {
	is_object(r.attributes.versioning)
	result.attribute_state(r, "versioning.status") == "missing"
}
