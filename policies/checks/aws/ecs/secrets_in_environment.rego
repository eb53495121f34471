# METADATA
# title: ECS task definition holds secrets in plain environment variables
# description: >-
#   Environment variables of a task definition are plain text to anyone who can
#   describe it, and end up in the plan, the state and the console; secrets
#   belong in Secrets Manager or SSM Parameter Store, referenced through
#   secrets.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECS-002
#   severity: high
#   resource_types: [aws_ecs_task_definition]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.6.2", "8.3.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17", "A.8.12"]
#   remediation: >-
#     Move each flagged variable from environment to secrets (valueFrom a
#     Secrets Manager secret or SSM SecureString parameter ARN), give the task
#     execution role read access to it, and rotate the exposed value.
package checks.aws.ecs.secrets_in_environment

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Names only: the values are never read into a message.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	found := [sprintf("%s/%s", [_name(c, i), variable.name]) |
		some i, c in _containers(r)
		some variable in object.get(c, "environment", [])
		is_object(variable)
		is_string(variable.name)
		_secret_name(variable.name)
	]
	count(found) > 0
	msg := sprintf("ECS task definition %q sets secret-looking environment variable(s) in plain text: %s", [r.name, concat(", ", found)])
}

_secret_name(name) if {
	some pattern in params.value("secret_environment_name_patterns")
	regex.match(pattern, name)
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
