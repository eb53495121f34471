# METADATA
# title: SQS queue without a dead-letter queue
# description: >-
#   Without a redrive policy a message that cannot be processed is received
#   again and again until it expires and is deleted, unseen; a dead-letter
#   queue keeps it for inspection.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SQS-003
#   severity: low
#   resource_types: [aws_sqs_queue]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     pci_dss: ["10.7.2"]
#     soc2: ["A1.2", "CC7.2"]
#     iso27001: ["A.8.14", "A.8.16"]
#   remediation: >-
#     Add a redrive_policy naming a dead-letter queue (deadLetterTargetArn) and
#     a maxReceiveCount, and alarm on the dead-letter queue's depth. Queues
#     that are themselves dead-letter queues are recognised by a
#     redrive_allow_policy or by a name containing one of the parameter
#     dead_letter_queue_name_markers.
package checks.aws.sqs.dead_letter_queue

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# A dead-letter queue needs none of its own.
resources := {r | some r in inventory.of(metadata); not _is_dead_letter_queue(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "redrive_policy") == "known"
	not _set(r.attributes.redrive_policy)
	msg := sprintf("SQS queue %q has no dead-letter queue (redrive_policy not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["redrive_policy"]) if {
	some r in resources
	state := result.attribute_state(r, "redrive_policy")
	state != "known"
	msg := sprintf("SQS queue %q: redrive_policy is %s", [r.name, result.state_text[state]])
}

_set(value) if {
	is_string(value)
	trim_space(value) != ""
}

_set(value) if {
	is_object(value)
	count(value) > 0
}

_is_dead_letter_queue(r) if _set(object.get(r.attributes, "redrive_allow_policy", null))

_is_dead_letter_queue(r) if {
	raw := object.get(r.attributes, "name", r.name)
	is_string(raw)
	name := lower(raw)
	some marker in params.value("dead_letter_queue_name_markers")
	contains(name, marker)
}
