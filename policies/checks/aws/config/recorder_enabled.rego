# METADATA
# title: AWS Config recorder not recording
# description: >-
#   A configuration recorder that exists but is stopped records no change:
#   the configuration history, the Config rules and the evidence built on
#   them silently stop at the moment it was stopped. A recorder is created
#   stopped and records only once started.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CFG-002
#   severity: high
#   resource_types: [aws_config_configuration_recorder]
#   controls:
#     gdpr: ["Art.32(1)(d)"]
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.312(b)"]
#     pci_dss: ["10.2.1", "11.5.2"]
#     soc2: ["CC7.1", "CC8.1"]
#     iso27001: ["A.8.9", "A.8.16"]
#   remediation: >-
#     Start the recorder: add aws_config_configuration_recorder_status with
#     is_enabled = true (it needs a delivery channel), or call
#     StartConfigurationRecorder; alert on StopConfigurationRecorder in
#     CloudTrail.
package checks.aws.config.recorder_enabled

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "is_enabled") == "known"
	r.attributes.is_enabled == false
	msg := sprintf("AWS Config recorder %q is not recording (is_enabled = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["is_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "is_enabled")
	state != "known"
	msg := sprintf("AWS Config recorder %q: is_enabled is %s", [r.name, result.state_text[state]])
}

# null says no status was recorded for the recorder (none in the plan, or
# not collected): undecided, not passed.
findings contains result.indeterminate(metadata, r, msg, ["is_enabled"]) if {
	some r in resources
	result.attribute_state(r, "is_enabled") == "known"
	value := r.attributes.is_enabled
	not is_boolean(value)
	msg := sprintf("AWS Config recorder %q: is_enabled is not recorded (%s)", [r.name, _text(value)])
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
