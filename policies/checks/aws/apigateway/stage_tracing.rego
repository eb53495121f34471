# METADATA
# title: API Gateway REST stage without X-Ray tracing
# description: >-
#   Without tracing a request through the API and its integrations leaves no
#   trace of where it went, which slows the investigation of an incident.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-APIGW-006
#   severity: low
#   resource_types: [aws_api_gateway_stage]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.16"]
#   remediation: >-
#     Set xray_tracing_enabled = true on the stage.
package checks.aws.apigateway.stage_tracing

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "xray_tracing_enabled") == "known"
	r.attributes.xray_tracing_enabled != true
	msg := sprintf("API Gateway stage %q does not trace requests (xray_tracing_enabled not true)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["xray_tracing_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "xray_tracing_enabled")
	state != "known"
	msg := sprintf("API Gateway stage %q: xray_tracing_enabled is %s", [r.name, result.state_text[state]])
}
