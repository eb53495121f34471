# METADATA
# title: Classified FSx file system not encrypted with a customer-managed key
# description: >-
#   FSx encrypts every file system, but with the AWS-managed key unless told
#   otherwise; for classified data that leaves key access, rotation and
#   revocation outside your control and your key policy's audit trail.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-FSX-001
#   severity: medium
#   resource_types: [aws_fsx_lustre_file_system, aws_fsx_ontap_file_system, aws_fsx_openzfs_file_system, aws_fsx_windows_file_system]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Create the file system with kms_key_id naming a customer-managed KMS
#     key whose policy limits use to the file system's service and
#     administrators; the key cannot be changed in place.
package checks.aws.fsx.classified_customer_key

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
	not endswith(key, "alias/aws/fsx")
}

_label := {"aws_fsx_lustre_file_system": "FSx for Lustre file system", "aws_fsx_ontap_file_system": "FSx for ONTAP file system", "aws_fsx_openzfs_file_system": "FSx for OpenZFS file system", "aws_fsx_windows_file_system": "FSx for Windows file system"}
