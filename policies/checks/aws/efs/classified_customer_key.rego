# METADATA
# title: Classified EFS file system not encrypted with a customer-managed key
# description: >-
#   An EFS file system holding classified data that is unencrypted, or
#   encrypted with the AWS-managed key, leaves key access, rotation and
#   revocation outside your control and your key policy's audit trail.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EFS-002
#   severity: medium
#   resource_types: [aws_efs_file_system]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Create the file system with encrypted = true and kms_key_id naming a
#     customer-managed KMS key, then copy the data across; the key cannot be
#     changed in place.
package checks.aws.efs.classified_customer_key

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); tags.classified(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "kms_key_id") == "known"
	not _customer_key(r.attributes.kms_key_id)
	msg := sprintf("%s %q holds classified data under the AWS-managed key, not a customer-managed one (kms_key_id = %v)", [_label[r.type], r.name, r.attributes.kms_key_id])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_id"]) if {
	some r in resources
	state := result.attribute_state(r, "kms_key_id")
	state != "known"
	msg := sprintf("%s %q: kms_key_id is %s", [_label[r.type], r.name, result.state_text[state]])
}

# A key ARN, id or alias other than the service's AWS-managed alias.
_customer_key(key) if {
	is_string(key)
	key != ""
	not endswith(key, "alias/aws/elasticfilesystem")
}

_label := {"aws_efs_file_system": "EFS file system"}
