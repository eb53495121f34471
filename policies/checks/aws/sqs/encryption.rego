# METADATA
# title: SQS queue not encrypted at rest
# description: >-
#   Messages can wait in a queue for up to two weeks; without SSE-KMS or
#   SSE-SQS they are stored unencrypted.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SQS-001
#   severity: medium
#   resource_types: [aws_sqs_queue]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set kms_master_key_id on the queue to a KMS key (a customer-managed key
#     for regulated data), or at least sqs_managed_sse_enabled = true.
package checks.aws.sqs.encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_master_key_id") == "known"
	result.attribute_state(r, "sqs_managed_sse_enabled") == "known"
	not _kms(r)
	r.attributes.sqs_managed_sse_enabled != true
	msg := sprintf("SQS queue %q stores messages unencrypted (no kms_master_key_id, sqs_managed_sse_enabled not true)", [r.name])
}

# Either setting known to encrypt decides; otherwise each one not known is.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	not _encrypted(r)
	paths := [p | some p in ["kms_master_key_id", "sqs_managed_sse_enabled"]; result.attribute_state(r, p) != "known"]
	count(paths) > 0
	states := {result.state_text[result.attribute_state(r, p)] | some p in paths}
	msg := sprintf("SQS queue %q: %s %s", [r.name, concat(", ", paths), concat(" or ", sort(states))])
}

_kms(r) if {
	is_string(r.attributes.kms_master_key_id)
	r.attributes.kms_master_key_id != ""
}

_encrypted(r) if {
	result.attribute_state(r, "kms_master_key_id") == "known"
	_kms(r)
}

_encrypted(r) if {
	result.attribute_state(r, "sqs_managed_sse_enabled") == "known"
	r.attributes.sqs_managed_sse_enabled == true
}
