# METADATA
# title: AMI snapshots not encrypted
# description: >-
#   An image whose EBS block devices are unencrypted stores its snapshots in
#   clear, and every instance launched from it starts with unencrypted
#   volumes unless the account encrypts by default.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-108
#   severity: medium
#   resource_types: [aws_ami]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Register the image from encrypted snapshots (encrypted = true in every
#     ebs_block_device), or copy it with aws_ami_copy { encrypted = true,
#     kms_key_id = <customer key> } and deregister the unencrypted one.
package checks.aws.ec2.ami_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	devices := _unencrypted(r)
	count(devices) > 0
	msg := sprintf("AMI %q has unencrypted EBS snapshot(s): %s", [r.name, concat(", ", devices)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	count(_unencrypted(r)) == 0
	undecided := _undecided(r)
	count(undecided) > 0
	paths := [p | some [p, _] in undecided]
	texts := [sprintf("%s is %s", [p, result.state_text[s]]) | some [p, s] in undecided]
	msg := sprintf("AMI %q: %s", [r.name, concat(", ", texts)])
}

findings contains result.indeterminate(metadata, r, msg, ["ebs_block_device"]) if {
	some r in resources
	not is_array(object.get(r.attributes, "ebs_block_device", null))
	state := result.attribute_state(r, "ebs_block_device")
	state != "known"
	msg := sprintf("AMI %q: ebs_block_device is %s", [r.name, result.state_text[state]])
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
