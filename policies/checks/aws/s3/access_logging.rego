# METADATA
# title: S3 bucket server access logging disabled
# description: >-
#   Without server access logs there is no record of who read, wrote or deleted
#   objects (CloudTrail records object-level requests only when data events are
#   on), so access to the data cannot be reviewed or investigated.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-005
#   severity: medium
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Add an aws_s3_bucket_logging that delivers access logs to a dedicated
#     logging bucket (target_bucket, target_prefix), or enable CloudTrail S3 data
#     events for the bucket.
package checks.aws.s3.access_logging

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "logging") == "known"
	not is_object(r.attributes.logging)
	msg := sprintf("S3 bucket %q has server access logging off (logging = null)", [r.name])
}

# Logging is decided by its target_bucket: a logging block without the field
# was not fully collected (indeterminate, never a pass); a target that is
# present but empty or null delivers logs nowhere (fail).
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "logging") == "known"
	is_object(r.attributes.logging)
	result.attribute_state(r, "logging.target_bucket") == "known"
	target := r.attributes.logging.target_bucket
	not _names_bucket(target)
	msg := sprintf("S3 bucket %q has server access logging without a target bucket (target_bucket = %s)", [r.name, json.marshal(target)])
}

findings contains result.indeterminate(metadata, r, msg, ["logging.target_bucket"]) if {
	some r in resources
	result.attribute_state(r, "logging") == "known"
	is_object(r.attributes.logging)
	state := result.attribute_state(r, "logging.target_bucket")
	state != "known"
	msg := sprintf("S3 bucket %q: logging.target_bucket is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["logging"]) if {
	some r in resources
	state := result.attribute_state(r, "logging")
	state != "known"
	msg := sprintf("S3 bucket %q: logging is %s", [r.name, result.state_text[state]])
}

_names_bucket(target) if {
	is_string(target)
	trim_space(target) != ""
}
