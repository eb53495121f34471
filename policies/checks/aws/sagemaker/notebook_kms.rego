# METADATA
# title: SageMaker notebook instance without a KMS key
# description: >-
#   Without kms_key_id, the notebook's ML storage volume (datasets, notebooks,
#   credentials saved by users) is not encrypted with a KMS key the account
#   governs, audits, rotates and can revoke.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SGM-002
#   severity: medium
#   resource_types: [aws_sagemaker_notebook_instance]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set kms_key_id to a customer-managed KMS key whose key policy grants the
#     notebook's role. The key of an existing notebook cannot be changed: create
#     a new notebook instance with the key and move the work to it.
package checks.aws.sagemaker.notebook_kms

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_key_id") == "known"
	not _has_key(r.attributes.kms_key_id)
	msg := sprintf("SageMaker notebook instance %q has no KMS key for its storage volume (kms_key_id = %s)", [
		r.name, _key_text(r.attributes.kms_key_id),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	state := result.attribute_state(r, "kms_key_id")
	state != "known"
	msg := sprintf("SageMaker notebook instance %q: kms_key_id is %s", [r.name, result.state_text[state]])
}

_has_key(key) if {
	is_string(key)
	trim_space(key) != ""
}

_key_text(key) := "null" if key == null

_key_text(key) := sprintf("%q", [key]) if key != null
