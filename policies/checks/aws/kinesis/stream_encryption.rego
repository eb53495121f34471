# METADATA
# title: Kinesis stream not encrypted with KMS
# description: >-
#   Records stay in a stream for its whole retention period; without KMS
#   server-side encryption they are stored unencrypted.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-KIN-001
#   severity: medium
#   resource_types: [aws_kinesis_stream]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set encryption_type = "KMS" and kms_key_id to a customer-managed KMS key
#     (or alias/aws/kinesis) on the stream.
package checks.aws.kinesis.stream_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encryption_type") == "known"
	r.attributes.encryption_type != "KMS"
	msg := sprintf("Kinesis stream %q stores records unencrypted (encryption_type = %v)", [r.name, _shown(r.attributes.encryption_type)])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encryption_type") == "known"
	r.attributes.encryption_type == "KMS"
	result.attribute_state(r, "kms_key_id") == "known"
	not _has_key(r)
	msg := sprintf("Kinesis stream %q has encryption_type KMS but no kms_key_id", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["encryption_type"]) if {
	some r in resources
	state := result.attribute_state(r, "encryption_type")
	state != "known"
	msg := sprintf("Kinesis stream %q: encryption_type is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	result.attribute_state(r, "encryption_type") == "known"
	r.attributes.encryption_type == "KMS"
	state := result.attribute_state(r, "kms_key_id")
	state != "known"
	msg := sprintf("Kinesis stream %q: kms_key_id is %s", [r.name, result.state_text[state]])
}

_has_key(r) if {
	is_string(r.attributes.kms_key_id)
	r.attributes.kms_key_id != ""
}

_shown(v) := v if v != null

_shown(null) := "NONE"
