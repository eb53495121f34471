# METADATA
# title: Secrets Manager secret not encrypted with a customer-managed KMS key
# description: >-
#   A secret encrypted with the AWS-managed key (aws/secretsmanager, the
#   default) can be decrypted by any principal of the account that may read
#   the secret: the key's policy cannot be narrowed, its use cannot be
#   granted across accounts, and it cannot be disabled to cut access in an
#   incident. A customer-managed key adds a second, separately governed
#   permission in front of every secret value.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SEC-003
#   severity: medium
#   resource_types: [aws_secretsmanager_secret]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.6.1", "8.3.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24", "A.5.17"]
#   remediation: >-
#     Create a customer-managed KMS key whose key policy allows kms:Decrypt
#     only to the roles that read the secret (through Secrets Manager, with
#     the kms:ViaService condition), and set the secret's kms_key_id to it;
#     Secrets Manager re-encrypts the current version on the next update.
package checks.aws.secretsmanager.customer_managed_key

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_key_id") == "known"
	key := r.attributes.kms_key_id
	_aws_managed(key)
	msg := sprintf("Secrets Manager secret %q is encrypted with the AWS-managed key (kms_key_id = %s)", [r.name, _key_text(key)])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	state := result.attribute_state(r, "kms_key_id")
	state != "known"
	msg := sprintf("Secrets Manager secret %q: kms_key_id is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	result.attribute_state(r, "kms_key_id") == "known"
	key := r.attributes.kms_key_id
	key != null
	not is_string(key)
	msg := sprintf("Secrets Manager secret %q: kms_key_id is not a key id, ARN or alias (%v)", [r.name, key])
}

# Unset (null or empty) is the default key aws/secretsmanager; an alias under
# alias/aws/ names an AWS-managed key.
_aws_managed(key) if key == null

_aws_managed(key) if {
	is_string(key)
	trim_space(key) == ""
}

_aws_managed(key) if {
	is_string(key)
	contains(key, "alias/aws/")
}

_key_text(key) := "null" if key == null

_key_text(key) := sprintf("%q", [key]) if key != null
