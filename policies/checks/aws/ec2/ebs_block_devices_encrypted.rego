# METADATA
# title: Instance EBS data volumes not encrypted
# description: >-
#   EBS volumes attached through an instance's or launch configuration's
#   ebs_block_device blocks hold application data; unencrypted, the volumes
#   and their snapshots are readable to anyone who can copy or attach them.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-103
#   severity: high
#   resource_types: [aws_instance, aws_launch_configuration]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set encrypted = true (with a customer-managed kms_key_id) in every
#     ebs_block_device block, and turn on EBS encryption by default. Existing
#     volumes are encrypted by snapshot, encrypted copy and swap.
package checks.aws.ec2.ebs_block_devices_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	names := _unencrypted(r)
	count(names) > 0
	msg := sprintf("%s %q has unencrypted EBS volume(s): %s", [r.type, r.name, concat(", ", names)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	count(_unencrypted(r)) == 0
	undecided := _undecided(r)
	count(undecided) > 0
	paths := [p | some [p, _] in undecided]
	texts := [sprintf("%s is %s", [p, result.state_text[s]]) | some [p, s] in undecided]
	msg := sprintf("%s %q: %s", [r.type, r.name, concat(", ", texts)])
}

findings contains result.indeterminate(metadata, r, msg, ["ebs_block_device"]) if {
	some r in resources
	not is_array(object.get(r.attributes, "ebs_block_device", null))
	state := result.attribute_state(r, "ebs_block_device")
	state != "known"
	msg := sprintf("%s %q: ebs_block_device is %s", [r.type, r.name, result.state_text[state]])
}

_unencrypted(r) := [_device_name(d, i) |
	some i, d in object.get(r.attributes, "ebs_block_device", [])
	_state(r, i, d) == "known"
	d.encrypted != true
]

_undecided(r) := [[_path(i), s] |
	some i, d in object.get(r.attributes, "ebs_block_device", [])
	s := _state(r, i, d)
	s != "known"
]

_path(i) := sprintf("ebs_block_device.%d.encrypted", [i])

_state(r, i, d) := "unknown" if {
	result.attribute_state(r, _path(i)) == "unknown"
} else := "known" if {
	is_object(d)
	"encrypted" in object.keys(d)
} else := "missing"

_device_name(d, i) := d.device_name if {
	is_string(d.device_name)
	d.device_name != ""
} else := sprintf("device %d", [i])
