# METADATA
# title: Auto Scaling group launches from a launch configuration
# description: >-
#   Launch configurations are retired by AWS: they get no new instance types
#   or settings, cannot be versioned, and new accounts cannot create them, so
#   hardening (IMDSv2 defaults, encryption, new AMIs) lags behind groups that
#   use launch templates.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ASG-001
#   severity: low
#   resource_types: [aws_autoscaling_group]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     pci_dss: ["2.2.1"]
#     soc2: ["CC8.1"]
#     iso27001: ["A.8.9"]
#   remediation: >-
#     Move the group to a launch template (launch_template { id, version } or
#     a mixed_instances_policy) with the same settings, IMDSv2 required and
#     encrypted volumes, then delete the launch configuration.
package checks.aws.autoscaling.launch_configuration_used

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "launch_configuration") == "known"
	name := r.attributes.launch_configuration
	is_string(name)
	name != ""
	msg := sprintf("Auto Scaling group %q launches from launch configuration %q instead of a launch template", [r.name, name])
}

findings contains result.indeterminate(metadata, r, msg, ["launch_configuration"]) if {
	some r in resources
	state := result.attribute_state(r, "launch_configuration")
	state != "known"
	msg := sprintf("Auto Scaling group %q: launch_configuration is %s", [r.name, result.state_text[state]])
}
