# METADATA
# title: CloudWatch log group not encrypted with a KMS key
# description: >-
#   Log events often carry personal data, tokens or query text. Without a KMS
#   key they are encrypted only with keys CloudWatch manages, so reading them
#   needs no key permission and the data cannot be crypto-shredded.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CWL-002
#   severity: low
#   resource_types: [aws_cloudwatch_log_group]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["10.3.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.15", "A.8.24"]
#   remediation: >-
#     Set kms_key_id on the aws_cloudwatch_log_group to a customer-managed KMS
#     key whose policy allows the logs.<region>.amazonaws.com service principal.
package checks.aws.cloudwatch.kms_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Terraform state records an unset key as "" rather than null.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_key_id") == "known"
	not _has_key(r)
	msg := sprintf("CloudWatch log group %q is not encrypted with a KMS key (kms_key_id not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	state := result.attribute_state(r, "kms_key_id")
	state != "known"
	msg := sprintf("CloudWatch log group %q: kms_key_id is %s", [r.name, result.state_text[state]])
}

_has_key(r) if {
	is_string(r.attributes.kms_key_id)
	r.attributes.kms_key_id != ""
}
