# METADATA
# title: ECS task definition runs privileged containers
# description: >-
#   A privileged container has every Linux capability and the host's devices: a
#   compromise of it is a compromise of the container instance and of every
#   other task on it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECS-001
#   severity: high
#   resource_types: [aws_ecs_task_definition]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["2.2.6", "7.2.5"]
#     soc2: ["CC6.3"]
#     iso27001: ["A.8.2", "A.8.9"]
#   remediation: >-
#     Remove "privileged": true from the container definitions; grant the single
#     Linux capability a container needs with linuxParameters.capabilities.add
#     instead.
package checks.aws.ecs.privileged_containers

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	names := [_name(c, i) | some i, c in _containers(r); object.get(c, "privileged", false) == true]
	count(names) > 0
	msg := sprintf("ECS task definition %q runs privileged container(s): %s", [r.name, concat(", ", names)])
}

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
