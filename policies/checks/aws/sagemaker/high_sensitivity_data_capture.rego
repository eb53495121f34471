# METADATA
# title: High-sensitivity SageMaker endpoint without data capture
# description: >-
#   An endpoint serving a model tagged high sensitivity must keep an audit trail
#   of what it was asked and what it answered; without data capture its
#   decisions cannot be reviewed, explained or investigated afterwards.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SGM-006
#   severity: high
#   resource_types: [aws_sagemaker_endpoint_configuration]
#   controls:
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Add a data_capture_config with enable_capture = true, an
#     initial_sampling_percentage above 0 (100 for full audit), capture_options
#     for Input and Output, a destination_s3_uri in a restricted bucket and a
#     kms_key_id.
package checks.aws.sagemaker.high_sensitivity_data_capture

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only endpoints tagged high sensitivity (lib.tags, sensitivity_tag_keys) are in scope.
resources := {r | some r in inventory.of(metadata); tags.high_sensitivity(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "data_capture_config") == "known"
	some reason in _capture_off(r.attributes.data_capture_config)
	msg := sprintf("SageMaker endpoint configuration %q is high sensitivity but captures no inference data (%s)", [r.name, reason])
}

findings contains result.indeterminate(metadata, r, msg, ["data_capture_config"]) if {
	some r in resources
	state := result.attribute_state(r, "data_capture_config")
	state != "known"
	msg := sprintf("SageMaker endpoint configuration %q: data_capture_config is %s", [r.name, result.state_text[state]])
}

# Capture that is not known to be off must be known to be on: an absent or null
# enable_capture is undecided, never read as the API default.
findings contains result.indeterminate(metadata, r, msg, ["data_capture_config.enable_capture"]) if {
	some r in resources
	result.attribute_state(r, "data_capture_config") == "known"
	config := r.attributes.data_capture_config
	count(_capture_off(config)) == 0
	text := _enable_text(config)
	msg := sprintf("SageMaker endpoint configuration %q: data_capture_config.enable_capture is %s", [r.name, text])
}

# The reason capture is off, if it is. A sampling percentage of 0 captures
# nothing, whatever enable_capture says.
_capture_off(config) := {"no data_capture_config"} if {
	not is_object(config)
} else := {"enable_capture = false"} if {
	config.enable_capture == false
} else := {"initial_sampling_percentage = 0"} if {
	object.get(config, "initial_sampling_percentage", 100) == 0
} else := set()

_enable_text(config) := result.state_text.missing if not "enable_capture" in object.keys(config)

_enable_text(config) := sprintf("not recorded (%v)", [config.enable_capture]) if {
	"enable_capture" in object.keys(config)
	not is_boolean(config.enable_capture)
}
