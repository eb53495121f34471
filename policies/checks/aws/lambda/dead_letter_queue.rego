# METADATA
# title: Lambda function without a dead-letter queue
# description: >-
#   Asynchronous invocations that keep failing are dropped after their retries
#   unless a dead-letter queue or topic receives them, so events (and the
#   records they carry) are lost without trace.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-LMB-004
#   severity: low
#   resource_types: [aws_lambda_function]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     pci_dss: ["10.7.2"]
#     soc2: ["A1.2", "CC7.2"]
#     iso27001: ["A.8.14", "A.8.16"]
#   remediation: >-
#     Add a dead_letter_config block with target_arn set to an SQS queue or SNS
#     topic the function's role may send to (or configure an on-failure
#     destination) and alarm on its depth.
package checks.aws.lambda.dead_letter_queue

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "dead_letter_config") == "known"
	not _has_target(r)
	msg := sprintf("Lambda function %q has no dead-letter queue (dead_letter_config.target_arn not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["dead_letter_config"]) if {
	some r in resources
	state := result.attribute_state(r, "dead_letter_config")
	state != "known"
	msg := sprintf("Lambda function %q: dead_letter_config is %s", [r.name, result.state_text[state]])
}

_has_target(r) if {
	target := object.get(_object(r.attributes.dead_letter_config), "target_arn", null)
	is_string(target)
	target != ""
}

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)
