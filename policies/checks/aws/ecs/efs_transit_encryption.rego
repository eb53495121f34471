# METADATA
# title: ECS task mounts EFS without encryption in transit
# description: >-
#   An EFS volume mounted without transit encryption sends the file system's
#   data in clear NFS traffic between the task and the mount target.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECS-005
#   severity: medium
#   resource_types: [aws_ecs_task_definition]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Set transit_encryption = "ENABLED" in every efs_volume_configuration
#     (and authorization_config { iam = "ENABLED" } to use the task role),
#     and require TLS in the file system policy (aws:SecureTransport).
package checks.aws.ecs.efs_transit_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	volumes := [_volume_name(v, i) |
		some i, v in object.get(r.attributes, "volume", [])
		_efs(v)
		result.attribute_state(r, _path(i)) != "unknown"
		object.get(v.efs_volume_configuration, "transit_encryption", null) != "ENABLED"
	]
	count(volumes) > 0
	msg := sprintf("ECS task definition %q mounts EFS without encryption in transit: %s", [r.name, concat(", ", volumes)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	paths := [_path(i) |
		some i, v in object.get(r.attributes, "volume", [])
		_efs(v)
		result.attribute_state(r, _path(i)) == "unknown"
	]
	count(paths) > 0
	msg := sprintf("ECS task definition %q: %s known only after apply", [r.name, concat(", ", paths)])
}

findings contains result.indeterminate(metadata, r, msg, ["volume"]) if {
	some r in resources
	not _volumes_or_none(r)
	state := result.attribute_state(r, "volume")
	state != "known"
	msg := sprintf("ECS task definition %q: volume is %s", [r.name, result.state_text[state]])
}

_volumes_or_none(r) if is_array(object.get(r.attributes, "volume", false))

_volumes_or_none(r) if {
	result.attribute_state(r, "volume") == "known"
	r.attributes.volume == null
}

_efs(v) if {
	is_object(v)
	is_object(object.get(v, "efs_volume_configuration", null))
}

_path(i) := sprintf("volume.%d.efs_volume_configuration.transit_encryption", [i])

_volume_name(v, i) := v.name if {
	is_string(v.name)
	v.name != ""
} else := sprintf("volume %d", [i])
