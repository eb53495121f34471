# METADATA
# title: Launch template EBS volumes not encrypted
# description: >-
#   A launch template whose block device mappings do not ask for encryption
#   launches unencrypted volumes wherever the account has no EBS encryption by
#   default, for every instance and Auto Scaling group that uses it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-104
#   severity: high
#   resource_types: [aws_launch_template]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set ebs { encrypted = "true", kms_key_id = <customer key ARN> } in every
#     block_device_mappings entry that maps an EBS volume, and publish the new
#     template version as the default.
package checks.aws.ec2.launch_template_volumes_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	devices := _unencrypted(r)
	count(devices) > 0
	msg := sprintf("launch template %q maps EBS volume(s) without encryption: %s", [r.name, concat(", ", devices)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	count(_unencrypted(r)) == 0
	undecided := _undecided(r)
	count(undecided) > 0
	paths := [p | some [p, _] in undecided]
	texts := [sprintf("%s is %s", [p, result.state_text[s]]) | some [p, s] in undecided]
	msg := sprintf("launch template %q: %s", [r.name, concat(", ", texts)])
}

findings contains result.indeterminate(metadata, r, msg, ["block_device_mappings"]) if {
	some r in resources
	not is_array(object.get(r.attributes, "block_device_mappings", null))
	state := result.attribute_state(r, "block_device_mappings")
	state != "known"
	msg := sprintf("launch template %q: block_device_mappings is %s", [r.name, result.state_text[state]])
}

# Terraform holds encrypted as "true", "false" or "" (unset); a collector may
# write a boolean. Only true asks for encryption.
_encrypted(v) if v == true

_encrypted(v) if {
	is_string(v)
	lower(v) == "true"
}

# Mappings of an EBS volume (not instance store, not no_device).
_ebs(m) if {
	is_object(m)
	is_object(object.get(m, "ebs", null))
}

_unencrypted(r) := [_device_name(m, i) |
	some i, m in object.get(r.attributes, "block_device_mappings", [])
	_ebs(m)
	_state(r, i, m) == "known"
	not _encrypted(m.ebs.encrypted)
]

_undecided(r) := [[_path(i), s] |
	some i, m in object.get(r.attributes, "block_device_mappings", [])
	_ebs(m)
	s := _state(r, i, m)
	s != "known"
]

_path(i) := sprintf("block_device_mappings.%d.ebs.encrypted", [i])

_state(r, i, m) := "unknown" if {
	result.attribute_state(r, _path(i)) == "unknown"
} else := "known" if {
	"encrypted" in object.keys(m.ebs)
} else := "missing"

_device_name(m, i) := m.device_name if {
	is_string(m.device_name)
	m.device_name != ""
} else := sprintf("mapping %d", [i])
