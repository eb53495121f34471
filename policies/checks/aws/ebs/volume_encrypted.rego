# METADATA
# title: EBS volume not encrypted at rest
# description: >-
#   An unencrypted EBS volume leaves its data, and every snapshot taken of it,
#   readable to anyone who can copy or attach the volume or a snapshot.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EBS-001
#   severity: high
#   resource_types: [aws_ebs_volume]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set encrypted = true with a customer-managed kms_key_id. An existing volume
#     cannot be encrypted in place: snapshot it, copy the snapshot with
#     encryption, create a volume from the copy and swap it in.
package checks.aws.ebs.volume_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encrypted") == "known"
	r.attributes.encrypted == false
	msg := sprintf("EBS volume %q stores data unencrypted (encrypted = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["encrypted"]) if {
	some r in resources
	state := result.attribute_state(r, "encrypted")
	state != "known"
	msg := sprintf("EBS volume %q: encrypted is %s", [r.name, result.state_text[state]])
}
