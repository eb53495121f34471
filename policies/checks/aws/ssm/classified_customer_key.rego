# METADATA
# title: Classified SSM parameter not encrypted with a customer-managed key
# description: >-
#   A parameter holding classified data must be a SecureString under a
#   customer-managed key: a String is stored in clear, and the AWS-managed
#   alias/aws/ssm key lets any principal with ssm:GetParameter in the
#   account decrypt it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SSM-002
#   severity: medium
#   resource_types: [aws_ssm_parameter]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Make the parameter a SecureString with key_id naming a
#     customer-managed KMS key whose policy allows kms:Decrypt only to the
#     parameter's readers.
package checks.aws.ssm.classified_customer_key

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); tags.classified(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "type") == "known"
	r.attributes.type != "SecureString"
	msg := sprintf("SSM parameter %q holds classified data unencrypted (type = %s)", [r.name, r.attributes.type])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_secure_string(r)
	result.attribute_state(r, "key_id") == "known"
	not _customer_key(r.attributes.key_id)
	msg := sprintf("SSM parameter %q holds classified data under the AWS-managed key, not a customer-managed one (key_id = %v)", [r.name, r.attributes.key_id])
}

findings contains result.indeterminate(metadata, r, msg, ["type"]) if {
	some r in resources
	state := result.attribute_state(r, "type")
	state != "known"
	msg := sprintf("SSM parameter %q: type is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["key_id"]) if {
	some r in resources
	_secure_string(r)
	state := result.attribute_state(r, "key_id")
	state != "known"
	msg := sprintf("SSM parameter %q: key_id is %s", [r.name, result.state_text[state]])
}

_secure_string(r) if {
	result.attribute_state(r, "type") == "known"
	r.attributes.type == "SecureString"
}

_customer_key(key) if {
	is_string(key)
	key != ""
	not endswith(key, "alias/aws/ssm")
}
