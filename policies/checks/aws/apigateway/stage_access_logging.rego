# METADATA
# title: API Gateway stage without access logging
# description: >-
#   Without access logs there is no record of who called which API route and
#   with what result, so abuse and data access through the API cannot be
#   traced.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-APIGW-001
#   severity: medium
#   resource_types: [aws_api_gateway_stage, aws_apigatewayv2_stage]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Add an access_log_settings block with destination_arn set to a CloudWatch
#     log group (or Firehose stream) and a format that records the caller,
#     route, status and request id.
package checks.aws.apigateway.stage_access_logging

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "access_log_settings") == "known"
	not _logging(r)
	msg := sprintf("API Gateway stage %q has no access logging (access_log_settings.destination_arn not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["access_log_settings"]) if {
	some r in resources
	state := result.attribute_state(r, "access_log_settings")
	state != "known"
	msg := sprintf("API Gateway stage %q: access_log_settings is %s", [r.name, result.state_text[state]])
}

_logging(r) if {
	destination := object.get(_object(r.attributes.access_log_settings), "destination_arn", null)
	is_string(destination)
	destination != ""
}

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)
