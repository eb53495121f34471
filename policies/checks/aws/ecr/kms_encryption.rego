# METADATA
# title: ECR repository not encrypted with a KMS key
# description: >-
#   By default ECR encrypts images with AES-256 keys AWS owns; with KMS the
#   owner controls and audits the key, can revoke access to the images, and
#   meets requirements for customer-controlled keys.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECR-001
#   severity: medium
#   resource_types: [aws_ecr_repository]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set encryption_configuration { encryption_type = "KMS", kms_key =
#     <customer key ARN> }. Encryption is fixed at creation: create a new
#     repository, push the images to it and delete the old one.
package checks.aws.ecr.kms_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encryption_configuration") == "known"
	r.attributes.encryption_configuration == null
	msg := sprintf("ECR repository %q is not encrypted with KMS (no encryption_configuration: AES256)", [r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_block(r)
	result.attribute_state(r, "encryption_configuration.encryption_type") == "known"
	kind := r.attributes.encryption_configuration.encryption_type
	not kind in {"KMS", "KMS_DSSE"}
	msg := sprintf("ECR repository %q is not encrypted with KMS (encryption_type = %s)", [r.name, json.marshal(kind)])
}

findings contains result.indeterminate(metadata, r, msg, ["encryption_configuration.encryption_type"]) if {
	some r in resources
	_block(r)
	state := result.attribute_state(r, "encryption_configuration.encryption_type")
	state != "known"
	msg := sprintf("ECR repository %q: encryption_configuration.encryption_type is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["encryption_configuration"]) if {
	some r in resources
	not _block(r)
	state := result.attribute_state(r, "encryption_configuration")
	state != "known"
	msg := sprintf("ECR repository %q: encryption_configuration is %s", [r.name, result.state_text[state]])
}

_block(r) if is_object(object.get(r.attributes, "encryption_configuration", null))
