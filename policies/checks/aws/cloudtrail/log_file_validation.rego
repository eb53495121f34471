# METADATA
# title: CloudTrail log file validation disabled
# description: >-
#   Without log file validation CloudTrail writes no signed digest files, so a
#   log file that was changed or deleted after delivery cannot be detected.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CT-002
#   severity: medium
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     hipaa: ["164.312(b)", "164.312(c)(1)"]
#     pci_dss: ["10.3.4"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.5.28"]
#   remediation: >-
#     Set enable_log_file_validation = true on the trail and validate digests
#     with `aws cloudtrail validate-logs` when logs are used as evidence.
package checks.aws.cloudtrail.log_file_validation

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enable_log_file_validation") == "known"
	r.attributes.enable_log_file_validation == false
	msg := sprintf("CloudTrail trail %q has log file validation off (enable_log_file_validation = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["enable_log_file_validation"]) if {
	some r in resources
	state := result.attribute_state(r, "enable_log_file_validation")
	state != "known"
	msg := sprintf("CloudTrail trail %q: enable_log_file_validation is %s", [r.name, result.state_text[state]])
}
