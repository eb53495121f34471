# METADATA
# title: SageMaker endpoint configuration without a KMS key
# description: >-
#   Without kms_key_arn, the ML storage volume of the instances hosting the
#   endpoint (model artifacts, inference payloads written to disk) is not
#   encrypted with a KMS key the account governs, audits, rotates and can revoke.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SGM-001
#   severity: medium
#   resource_types: [aws_sagemaker_endpoint_configuration]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set kms_key_arn to a customer-managed KMS key whose key policy grants the
#     endpoint's execution role, and move the endpoint to the new configuration.
#     Instance types with local NVMe storage encrypt it in hardware and accept no
#     key: record an exception for those.
package checks.aws.sagemaker.endpoint_config_kms

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_key_arn") == "known"
	not _has_key(r.attributes.kms_key_arn)
	msg := sprintf("SageMaker endpoint configuration %q has no KMS key for its storage volumes (kms_key_arn = %s)", [
		r.name, _key_text(r.attributes.kms_key_arn),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_arn"]) if {
	some r in resources
	state := result.attribute_state(r, "kms_key_arn")
	state != "known"
	msg := sprintf("SageMaker endpoint configuration %q: kms_key_arn is %s", [r.name, result.state_text[state]])
}

_has_key(key) if {
	is_string(key)
	trim_space(key) != ""
}

_key_text(key) := "null" if key == null

_key_text(key) := sprintf("%q", [key]) if key != null
