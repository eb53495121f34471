# METADATA
# title: KMS customer-managed key without automatic rotation
# description: >-
#   A symmetric customer-managed key that is never rotated keeps encrypting new
#   data with the same key material for years, so a compromised key exposes
#   everything and the cryptoperiod is unbounded. AWS-managed keys rotate on
#   their own and asymmetric or HMAC keys cannot rotate, so they are not
#   evaluated.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-KMS-001
#   severity: medium
#   resource_types: [aws_kms_key]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.7.4"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set enable_key_rotation = true on the aws_kms_key (optionally
#     rotation_period_in_days); earlier key material stays available to decrypt
#     existing data.
package checks.aws.kms.key_rotation

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Customer-managed symmetric keys. A key Terraform manages is always customer
# managed; customer_master_key_spec defaults to SYMMETRIC_DEFAULT. Both are
# compared upper-cased, so "symmetric_default" is not taken out of scope.
resources := {r | some r in inventory.of(metadata); _customer_symmetric(r)}

_customer_symmetric(r) if {
	_upper(object.get(r.attributes, "key_manager", "CUSTOMER")) == "CUSTOMER"
	_upper(object.get(r.attributes, "customer_master_key_spec", "SYMMETRIC_DEFAULT")) == "SYMMETRIC_DEFAULT"
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enable_key_rotation") == "known"
	r.attributes.enable_key_rotation == false
	msg := sprintf("KMS key %q has automatic key rotation off (enable_key_rotation = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["enable_key_rotation"]) if {
	some r in resources
	state := result.attribute_state(r, "enable_key_rotation")
	state != "known"
	msg := sprintf("KMS key %q: enable_key_rotation is %s", [r.name, result.state_text[state]])
}

# Only strings are upper-cased (no builtin error on a null value).
_upper(value) := upper(trim_space(value)) if is_string(value)
