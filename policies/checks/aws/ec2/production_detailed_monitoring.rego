# METADATA
# title: Production instance without detailed monitoring
# description: >-
#   Basic monitoring reports instance metrics every five minutes; production
#   instances need the one-minute metrics of detailed monitoring for alarms
#   to notice a failing or overloaded instance in time.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-106
#   severity: low
#   resource_types: [aws_instance, aws_launch_configuration, aws_launch_template]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.7.2"]
#     soc2: ["CC7.2", "A1.1"]
#     iso27001: ["A.8.16", "A.8.6"]
#   remediation: >-
#     Set monitoring = true on the instance, enable_monitoring = true on the
#     launch configuration, or monitoring { enabled = true } in the launch
#     template.
package checks.aws.ec2.production_detailed_monitoring

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); tags.production(r)}

# Where each type keeps the flag.
_flag := {
	"aws_instance": "monitoring",
	"aws_launch_configuration": "enable_monitoring",
	"aws_launch_template": "monitoring.enabled",
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	path := _flag[r.type]
	result.attribute_state(r, path) == "known"
	value := object.get(r.attributes, split(path, "."), null)
	value != true
	msg := sprintf("production %s %q has detailed monitoring off (%s = %s)", [r.type, r.name, path, json.marshal(value)])
}

# A launch template without the monitoring block leaves it off.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type == "aws_launch_template"
	result.attribute_state(r, "monitoring") == "known"
	r.attributes.monitoring == null
	msg := sprintf("production %s %q has detailed monitoring off (no monitoring block)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	path := _flag[r.type]
	not _no_template_block(r)
	state := result.attribute_state(r, path)
	state != "known"
	msg := sprintf("production %s %q: %s is %s", [r.type, r.name, path, result.state_text[state]])
}

_no_template_block(r) if {
	r.type == "aws_launch_template"
	result.attribute_state(r, "monitoring") == "known"
	r.attributes.monitoring == null
}
