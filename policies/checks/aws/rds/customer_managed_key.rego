# METADATA
# title: RDS holding classified data not encrypted with a customer-managed KMS key
# description: >-
#   Classified data (personal, health, card or confidential) must be encrypted
#   with a customer-managed KMS key, so key use is governed by its own key
#   policy, audited, rotated and revocable; the AWS-managed key (alias/aws/rds)
#   can be used by anyone allowed to use RDS in the account.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-003
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Create a customer-managed KMS key with a key policy limited to the
#     database's roles and set kms_key_id to it. The key of an existing database
#     cannot be changed in place: restore a snapshot copy encrypted with the new key.
package checks.aws.rds.customer_managed_key

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only databases holding classified data are in scope.
resources := {r | some r in inventory.of(metadata); tags.classified(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_key_id") == "known"
	not _customer_managed(r.attributes.kms_key_id)
	msg := sprintf("%s %q holds classified data (%s) without a customer-managed KMS key (kms_key_id = %s)", [
		r.type, r.name, _classes(r), _key_text(r.attributes.kms_key_id),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	state := result.attribute_state(r, "kms_key_id")
	state != "known"
	msg := sprintf("%s %q: kms_key_id is %s", [r.type, r.name, result.state_text[state]])
}

# A key id or ARN that is not an AWS-managed alias (alias/aws/...).
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
