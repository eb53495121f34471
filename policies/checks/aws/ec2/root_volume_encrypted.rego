# METADATA
# title: Instance root volume not encrypted
# description: >-
#   The root volume holds the operating system, its logs, swap and often
#   application data; unencrypted, it and every snapshot or AMI made from it
#   can be read by anyone who can copy or attach them.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-102
#   severity: high
#   resource_types: [aws_instance, aws_launch_configuration]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set root_block_device { encrypted = true, kms_key_id = <customer key> }
#     (and turn on EBS encryption by default for the account). A running
#     instance's root volume cannot be encrypted in place: create an encrypted
#     AMI copy and relaunch from it.
package checks.aws.ec2.root_volume_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_block(r)
	result.attribute_state(r, "root_block_device.encrypted") == "known"
	r.attributes.root_block_device.encrypted != true
	msg := sprintf("%s %q has an unencrypted root volume (root_block_device.encrypted = %s)", [r.type, r.name, json.marshal(r.attributes.root_block_device.encrypted)])
}

findings contains result.indeterminate(metadata, r, msg, ["root_block_device.encrypted"]) if {
	some r in resources
	_block(r)
	state := result.attribute_state(r, "root_block_device.encrypted")
	state != "known"
	msg := sprintf("%s %q: root_block_device.encrypted is %s", [r.type, r.name, result.state_text[state]])
}

# Without the block the root volume is as the AMI's snapshot and the account's
# EBS encryption by default make it: not something this resource decides.
findings contains result.indeterminate(metadata, r, msg, ["root_block_device"]) if {
	some r in resources
	result.attribute_state(r, "root_block_device") == "known"
	r.attributes.root_block_device == null
	msg := sprintf("%s %q sets no root_block_device: whether the root volume is encrypted depends on the AMI and the account's EBS encryption by default", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["root_block_device"]) if {
	some r in resources
	not _block(r)
	state := result.attribute_state(r, "root_block_device")
	state != "known"
	msg := sprintf("%s %q: root_block_device is %s", [r.type, r.name, result.state_text[state]])
}

_block(r) if is_object(object.get(r.attributes, "root_block_device", null))
