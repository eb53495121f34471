# METADATA
# title: ECS container has no log configuration
# description: >-
#   A container without a logConfiguration sends its output nowhere that
#   outlives the task, leaving no record of what the application did or of
#   errors and attacks against it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECS-004
#   severity: medium
#   resource_types: [aws_ecs_task_definition]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Give every container a logConfiguration with a logDriver (awslogs with an
#     awslogs-group, or awsfirelens), and a retention period on the log group.
package checks.aws.ecs.container_logging

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	names := [_name(c, i) | some i, c in _containers(r); not _logs(c)]
	count(names) > 0
	msg := sprintf("ECS task definition %q has container(s) without a log configuration: %s", [r.name, concat(", ", names)])
}

_logs(c) if {
	driver := c.logConfiguration.logDriver
	is_string(driver)
	driver != ""
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
