# METADATA
# title: SNS topic not encrypted with KMS
# description: >-
#   Messages wait in the topic until delivered; without server-side encryption
#   they are stored in plain text, outside any key policy you control.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SNS-001
#   severity: medium
#   resource_types: [aws_sns_topic]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set kms_master_key_id on the topic to a customer-managed KMS key (or
#     alias/aws/sns at least) whose policy lets the publishing services use it.
package checks.aws.sns.kms_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_master_key_id") == "known"
	not _has_key(r)
	msg := sprintf("SNS topic %q stores messages unencrypted (kms_master_key_id not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_master_key_id"]) if {
	some r in resources
	state := result.attribute_state(r, "kms_master_key_id")
	state != "known"
	msg := sprintf("SNS topic %q: kms_master_key_id is %s", [r.name, result.state_text[state]])
}

_has_key(r) if {
	is_string(r.attributes.kms_master_key_id)
	r.attributes.kms_master_key_id != ""
}
