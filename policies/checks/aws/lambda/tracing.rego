# METADATA
# title: Lambda function without active X-Ray tracing
# description: >-
#   Without active tracing a request through the function leaves no trace of
#   where it went, which slows the investigation of an incident or an abuse.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-LMB-005
#   severity: low
#   resource_types: [aws_lambda_function]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Add tracing_config { mode = "Active" } to the function and allow its role
#     xray:PutTraceSegments and xray:PutTelemetryRecords.
package checks.aws.lambda.tracing

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "tracing_config") == "known"
	mode := _mode(r)
	mode != "Active"
	msg := sprintf("Lambda function %q does not trace requests actively (tracing_config.mode = %v)", [r.name, mode])
}

findings contains result.indeterminate(metadata, r, msg, ["tracing_config"]) if {
	some r in resources
	state := result.attribute_state(r, "tracing_config")
	state != "known"
	msg := sprintf("Lambda function %q: tracing_config is %s", [r.name, result.state_text[state]])
}

# No block, or a block without a mode, is Lambda's default: PassThrough.
_mode(r) := mode if {
	mode := object.get(_object(r.attributes.tracing_config), "mode", null)
	is_string(mode)
} else := "PassThrough"

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)
