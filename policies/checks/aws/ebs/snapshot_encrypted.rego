# METADATA
# title: EBS snapshot not encrypted
# description: >-
#   An unencrypted snapshot is a full copy of a volume's data that anyone it
#   is shared with, or who can copy it, can restore and read.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EBS-003
#   severity: high
#   resource_types: [aws_ebs_snapshot, aws_ebs_snapshot_copy]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24", "A.8.13"]
#   remediation: >-
#     Snapshot encrypted volumes only (a snapshot inherits the volume's
#     encryption); copy existing unencrypted snapshots with aws_ebs_snapshot_copy
#     { encrypted = true, kms_key_id = <customer key> } and delete the originals.
package checks.aws.ebs.snapshot_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encrypted") == "known"
	r.attributes.encrypted != true
	msg := sprintf("EBS snapshot %q is not encrypted (encrypted = %s)", [r.name, json.marshal(r.attributes.encrypted)])
}

findings contains result.indeterminate(metadata, r, msg, ["encrypted"]) if {
	some r in resources
	state := result.attribute_state(r, "encrypted")
	state != "known"
	msg := sprintf("EBS snapshot %q: encrypted is %s", [r.name, result.state_text[state]])
}
