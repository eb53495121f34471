# METADATA
# title: ECS cluster without Container Insights
# description: >-
#   Without Container Insights a cluster publishes no per-task and
#   per-container CPU, memory, network and restart metrics, so resource
#   exhaustion, crash loops and unusual activity in containers go unseen.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECS-006
#   severity: low
#   resource_types: [aws_ecs_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.16"]
#   remediation: >-
#     Add setting { name = "containerInsights", value = "enabled" } (or
#     "enhanced") to the cluster, or turn it on for new clusters with the
#     containerInsights account setting.
package checks.aws.ecs.container_insights

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "setting") == "known"
	value := _insights(r)
	not lower(value) in {"enabled", "enhanced"}
	msg := sprintf("ECS cluster %q does not have Container Insights on (containerInsights = %s)", [r.name, value])
}

findings contains result.indeterminate(metadata, r, msg, ["setting"]) if {
	some r in resources
	state := result.attribute_state(r, "setting")
	state != "known"
	msg := sprintf("ECS cluster %q: setting is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["setting"]) if {
	some r in resources
	result.attribute_state(r, "setting") == "known"
	not _insights(r)
	msg := sprintf("ECS cluster %q: the containerInsights setting cannot be read", [r.name])
}

# The containerInsights value: "not set" without the setting; undefined when
# the settings are not a list or the value is not text.
_insights(r) := "not set" if {
	_settings(r) == []
} else := value if {
	some s in _settings(r)
	is_object(s)
	object.get(s, "name", "") == "containerInsights"
	value := s.value
	is_string(value)
} else := "not set" if {
	every s in _settings(r) {
		is_object(s)
		is_string(object.get(s, "name", null))
		s.name != "containerInsights"
	}
}

_settings(r) := [] if r.attributes.setting == null

_settings(r) := r.attributes.setting if is_array(r.attributes.setting)
