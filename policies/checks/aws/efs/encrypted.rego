# METADATA
# title: EFS file system not encrypted at rest
# description: >-
#   An EFS file system created without encryption keeps every file, and the
#   metadata naming them, unencrypted on the storage AWS runs it on;
#   encryption can only be chosen when the file system is created.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EFS-001
#   severity: high
#   resource_types: [aws_efs_file_system]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set encrypted = true (with kms_key_id naming a customer-managed key
#     for classified data) and copy the data to the new file system; an
#     existing file system cannot be encrypted in place.
package checks.aws.efs.encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encrypted") == "known"
	r.attributes.encrypted == false
	msg := sprintf("%s %q stores files unencrypted (encrypted = false)", [_label[r.type], r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["encrypted"]) if {
	some r in resources
	state := result.attribute_state(r, "encrypted")
	state != "known"
	msg := sprintf("%s %q: encrypted is %s", [_label[r.type], r.name, result.state_text[state]])
}

_label := {"aws_efs_file_system": "EFS file system"}
