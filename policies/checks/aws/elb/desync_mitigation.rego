# METADATA
# title: Application load balancer desync mitigation in monitor mode
# description: >-
#   In monitor mode an ALB forwards requests it classifies as ambiguous or
#   severe HTTP desync risks, leaving the targets open to request smuggling.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ELB-007
#   severity: low
#   resource_types: [aws_lb, aws_alb]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     pci_dss: ["6.2.4"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.9"]
#   remediation: >-
#     Set desync_mitigation_mode to "defensive" (the default) or "strictest".
package checks.aws.elb.desync_mitigation

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); object.get(r.attributes, "load_balancer_type", null) in {null, "application"}}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "desync_mitigation_mode") == "known"
	r.attributes.desync_mitigation_mode == "monitor"
	msg := sprintf("Application load balancer %q forwards requests with HTTP desync risks (desync_mitigation_mode = monitor)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["desync_mitigation_mode"]) if {
	some r in resources
	state := result.attribute_state(r, "desync_mitigation_mode")
	state != "known"
	msg := sprintf("Application load balancer %q: desync_mitigation_mode is %s", [r.name, result.state_text[state]])
}
