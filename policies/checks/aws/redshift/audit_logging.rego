# METADATA
# title: Redshift audit logging disabled
# description: >-
#   Without audit logging there is no record of who connected to the data
#   warehouse and what they ran, so misuse of the data cannot be detected or
#   investigated.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RS-003
#   severity: medium
#   resource_types: [aws_redshift_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Turn on audit logging (aws_redshift_logging) to CloudWatch Logs or S3 with
#     the connectionlog, userlog and useractivitylog exports, and set
#     enable_user_activity_logging = true in the cluster parameter group.
package checks.aws.redshift.audit_logging

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "logging") == "known"
	not is_object(r.attributes.logging)
	msg := sprintf("%s %q has no audit logging (logging = null)", [r.type, r.name])
}

# The legacy logging block of the cluster resource can carry enable = false.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "logging.enable") == "known"
	r.attributes.logging.enable == false
	msg := sprintf("%s %q has no audit logging (logging.enable = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["logging"]) if {
	some r in resources
	state := result.attribute_state(r, "logging")
	state != "known"
	msg := sprintf("%s %q: logging is %s", [r.type, r.name, result.state_text[state]])
}

# A logging block says logging is on only through enable = true (the legacy
# block of the cluster resource) or a log_destination_type (aws_redshift_logging,
# DescribeLoggingStatus: the block exists only while logging is on). Without
# either, an absent or null enable leaves the state undecided.
findings contains result.indeterminate(metadata, r, msg, ["logging.enable"]) if {
	some r in resources
	result.attribute_state(r, "logging") == "known"
	logging := r.attributes.logging
	is_object(logging)
	not _destination(logging)
	text := _enable_text(logging)
	msg := sprintf("%s %q: logging.enable is %s", [r.type, r.name, text])
}

_destination(logging) if is_string(object.get(logging, "log_destination_type", null))

_enable_text(logging) := result.state_text.missing if not "enable" in object.keys(logging)

_enable_text(logging) := sprintf("not recorded (%v)", [logging.enable]) if {
	"enable" in object.keys(logging)
	not is_boolean(logging.enable)
}
