# METADATA
# title: CloudTrail trail not logging
# description: >-
#   A trail whose logging is stopped records no API activity at all, so actions
#   on the account and its data leave no audit trail.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CT-004
#   severity: high
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Set enable_logging = true (aws cloudtrail start-logging), and alarm on
#     cloudtrail:StopLogging.
package checks.aws.cloudtrail.logging_enabled

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enable_logging") == "known"
	r.attributes.enable_logging == false
	msg := sprintf("CloudTrail trail %q is not logging (enable_logging = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["enable_logging"]) if {
	some r in resources
	state := result.attribute_state(r, "enable_logging")
	state != "known"
	msg := sprintf("CloudTrail trail %q: enable_logging is %s", [r.name, result.state_text[state]])
}
