# METADATA
# title: DynamoDB table holding classified data not encrypted with a customer-managed KMS key
# description: >-
#   Every DynamoDB table is encrypted, but by default with an AWS-owned or
#   AWS-managed key that the account cannot restrict, audit per use or revoke;
#   classified data needs a customer-managed key under its own key policy.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-DDB-002
#   severity: medium
#   resource_types: [aws_dynamodb_table]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set server_side_encryption { enabled = true, kms_key_arn = <customer-managed
#     key ARN> } on the table; DynamoDB switches the key in place.
package checks.aws.dynamodb.customer_managed_key

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only tables holding classified data are in scope.
resources := {r | some r in inventory.of(metadata); tags.classified(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "server_side_encryption") == "known"
	reason := _key_problem(r.attributes.server_side_encryption)
	msg := sprintf("%s %q holds classified data (%s) without a customer-managed KMS key (%s)", [
		r.type, r.name, _classes(r), reason,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["server_side_encryption"]) if {
	some r in resources
	state := result.attribute_state(r, "server_side_encryption")
	state != "known"
	msg := sprintf("%s %q: server_side_encryption is %s", [r.type, r.name, result.state_text[state]])
}

# What keeps the table off a customer-managed key, worded for the message.
_key_problem(sse) := "server_side_encryption = null: AWS-owned key" if sse == null

_key_problem(sse) := "server_side_encryption.enabled = false: AWS-owned key" if {
	sse != null
	object.get(sse, "enabled", false) == false
}

_key_problem(sse) := sprintf("kms_key_arn = %s: AWS-managed key", [_key_text(key)]) if {
	sse != null
	object.get(sse, "enabled", false) == true
	key := object.get(sse, "kms_key_arn", null)
	not _customer_managed(key)
}

_customer_managed(key) if {
	is_string(key)
	key != ""
	not contains(key, "alias/aws/")
}

_key_text(key) := "null" if key == null

_key_text(key) := sprintf("%q", [key]) if key != null

_classes(r) := concat(", ", sort([c |
	some c in tags.data_classes(r)
	c in params.value("classified_data_classes")
]))
