# METADATA
# title: ECS container root file system is writable
# description: >-
#   A writable root file system lets an intruder in a container change its
#   binaries and drop tools that persist for the task's life; a read-only root
#   with explicit volumes for the paths that must change narrows that.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECS-003
#   severity: medium
#   resource_types: [aws_ecs_task_definition]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     pci_dss: ["2.2.6"]
#     soc2: ["CC6.8"]
#     iso27001: ["A.8.9", "A.8.19"]
#   remediation: >-
#     Set "readonlyRootFilesystem": true in every container definition and mount
#     volumes (or a bind mount) for the paths the application writes, such as
#     /tmp.
package checks.aws.ecs.readonly_root_filesystem

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); _asked(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	names := [_name(c, i) | some i, c in _containers(r); object.get(c, "readonlyRootFilesystem", false) != true]
	count(names) > 0
	msg := sprintf("ECS task definition %q has container(s) with a writable root file system: %s", [r.name, concat(", ", names)])
}

# Every task definition, or only production ones (readonly_root_filesystem_scope).
_asked(_) if params.value("readonly_root_filesystem_scope") == "all"

_asked(r) if tags.production(r)

findings contains result.indeterminate(metadata, r, msg, ["container_definitions"]) if {
	some r in resources
	state := result.attribute_state(r, "container_definitions")
	state != "known"
	msg := sprintf("ECS task definition %q: container_definitions is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["container_definitions"]) if {
	some r in resources
	result.attribute_state(r, "container_definitions") == "known"
	not _containers(r)
	msg := sprintf("ECS task definition %q: container_definitions is not a JSON list of container definitions", [r.name])
}

# Terraform and the ECS API hold the containers as one JSON document.
_containers(r) := containers if {
	result.attribute_state(r, "container_definitions") == "known"
	is_string(r.attributes.container_definitions)
	json.is_valid(r.attributes.container_definitions)
	containers := json.unmarshal(r.attributes.container_definitions)
	is_array(containers)
	every c in containers {
		is_object(c)
	}
}

_name(c, i) := c.name if {
	is_string(c.name)
	c.name != ""
} else := sprintf("container %d", [i])
