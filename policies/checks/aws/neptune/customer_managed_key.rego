# METADATA
# title: Neptune cluster holding classified data not encrypted with a customer-managed KMS key
# description: >-
#   A graph holding classified data (personal, health, card or confidential) must
#   be encrypted with a customer-managed KMS key, so use of the key is governed by
#   its own key policy, audited, rotated and revocable; the AWS-managed key
#   (alias/aws/rds) can be used by anyone allowed to use the database service in
#   the account, and an unencrypted cluster has no key at all.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NEP-002
#   severity: medium
#   resource_types: [aws_neptune_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Create a customer-managed KMS key with a key policy limited to the cluster's
#     roles, and set storage_encrypted = true and kms_key_arn to it. The key of an
#     existing cluster cannot be changed in place: restore a snapshot into a new
#     cluster encrypted with the new key.
package checks.aws.neptune.customer_managed_key

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only clusters holding classified data are in scope.
resources := {r | some r in inventory.of(metadata); tags.classified(r)}

# Unencrypted storage has no key at all, whatever kms_key_arn says (a plan leaves it
# unknown until apply when it is not set).
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_unencrypted(r)
	msg := sprintf("%s %q holds classified data (%s) on unencrypted storage (storage_encrypted = false)", [
		r.type, r.name, _classes(r),
	])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	not _unencrypted(r)
	result.attribute_state(r, "kms_key_arn") == "known"
	not _customer_managed(r.attributes.kms_key_arn)
	msg := sprintf("%s %q holds classified data (%s) without a customer-managed KMS key (kms_key_arn = %s)", [
		r.type, r.name, _classes(r), _key_text(r.attributes.kms_key_arn),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_arn"]) if {
	some r in resources
	not _unencrypted(r)
	state := result.attribute_state(r, "kms_key_arn")
	state != "known"
	msg := sprintf("%s %q: kms_key_arn is %s", [r.type, r.name, result.state_text[state]])
}

_unencrypted(r) if {
	result.attribute_state(r, "storage_encrypted") == "known"
	r.attributes.storage_encrypted == false
}

# A key id or ARN that is not an AWS-managed alias (alias/aws/...), as AWS-RDS-003 decides.
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
