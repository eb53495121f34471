# METADATA
# title: EBS volume holding classified data not encrypted with a customer-managed KMS key
# description: >-
#   A volume holding classified data (personal, health, card or confidential)
#   must be encrypted under a customer-managed KMS key, whose key policy
#   decides who may attach, snapshot and copy it and whose use is audited and
#   revocable; the AWS-managed key (alias/aws/ebs) serves anyone allowed to
#   use EBS in the account.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EBS-005
#   severity: medium
#   resource_types: [aws_ebs_volume]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Create a customer-managed KMS key limited to the workload's roles and
#     set encrypted = true with kms_key_id on the volume. An existing volume
#     cannot change key: snapshot it, copy the snapshot with the new key and
#     create the volume from the copy.
package checks.aws.ebs.classified_customer_key

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only volumes holding classified data are in scope.
resources := {r | some r in inventory.of(metadata); tags.classified(r)}

# Not encrypted at all: decided without the key (unknown in a plan).
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_unencrypted(r)
	msg := sprintf("EBS volume %q holds classified data (%s) unencrypted (encrypted = false)", [r.name, _classes(r)])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	not _unencrypted(r)
	result.attribute_state(r, "kms_key_id") == "known"
	not _customer_managed(r.attributes.kms_key_id)
	msg := sprintf("EBS volume %q holds classified data (%s) without a customer-managed KMS key (kms_key_id = %s)", [
		r.name, _classes(r), _key_text(r.attributes.kms_key_id),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	not _unencrypted(r)
	state := result.attribute_state(r, "kms_key_id")
	state != "known"
	msg := sprintf("EBS volume %q: kms_key_id is %s", [r.name, result.state_text[state]])
}

_unencrypted(r) if {
	result.attribute_state(r, "encrypted") == "known"
	r.attributes.encrypted == false
}

# A key id, ARN or alias other than the AWS-managed alias (alias/aws/...).
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
