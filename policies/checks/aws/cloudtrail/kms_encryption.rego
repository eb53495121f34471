# METADATA
# title: CloudTrail logs not encrypted with a KMS key
# description: >-
#   Without a KMS key trail logs get SSE-S3 only, so anyone with read access to
#   the log bucket can read them; SSE-KMS adds a key policy that limits who can
#   decrypt the audit trail, and logs every use of that key.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CT-003
#   severity: medium
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["10.3.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.15", "A.8.24"]
#   remediation: >-
#     Set kms_key_id on the trail to a customer-managed KMS key whose policy lets
#     cloudtrail.amazonaws.com encrypt and only the audit readers decrypt.
package checks.aws.cloudtrail.kms_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Terraform state records an unset key as "" rather than null.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_key_id") == "known"
	not _has_key(r)
	msg := sprintf("CloudTrail trail %q logs are not encrypted with a KMS key (kms_key_id not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	state := result.attribute_state(r, "kms_key_id")
	state != "known"
	msg := sprintf("CloudTrail trail %q: kms_key_id is %s", [r.name, result.state_text[state]])
}

_has_key(r) if {
	is_string(r.attributes.kms_key_id)
	r.attributes.kms_key_id != ""
}
