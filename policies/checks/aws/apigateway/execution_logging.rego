# METADATA
# title: API Gateway REST stage methods with execution logging off
# description: >-
#   Without execution logging (logging_level ERROR or INFO) API Gateway
#   writes nothing about authorizer failures, integration errors and
#   throttling to CloudWatch, so an attack or an outage on the API leaves no
#   trace to investigate.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-APIGW-007
#   severity: medium
#   resource_types: [aws_api_gateway_method_settings]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Set settings.logging_level = "ERROR" (or "INFO", without data_trace_enabled
#     where requests carry personal data) for method_path "*/*", after giving
#     API Gateway a CloudWatch role (aws_api_gateway_account).
package checks.aws.apigateway.execution_logging

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	level := _level(r)
	not upper(level) in {"ERROR", "INFO"}
	msg := sprintf("API Gateway method settings %q (%s) have execution logging off (logging_level = %s)", [r.name, _path(r), level])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.logging_level"]) if {
	some r in resources
	not _level(r)
	state := _state(r)
	msg := sprintf("API Gateway method settings %q (%s): settings.logging_level is %s", [r.name, _path(r), state])
}

# The level: "unset" when the settings or the level are null.
_level(r) := "unset" if {
	result.attribute_state(r, "settings") == "known"
	r.attributes.settings == null
} else := "unset" if {
	result.attribute_state(r, "settings.logging_level") == "known"
	r.attributes.settings.logging_level == null
} else := r.attributes.settings.logging_level if {
	result.attribute_state(r, "settings.logging_level") == "known"
	is_string(r.attributes.settings.logging_level)
}

_state(r) := result.state_text[state] if {
	state := result.attribute_state(r, "settings.logging_level")
	state != "known"
} else := "not text"

_path(r) := r.attributes.method_path if {
	is_string(object.get(r.attributes, "method_path", null))
} else := "method path unknown"
