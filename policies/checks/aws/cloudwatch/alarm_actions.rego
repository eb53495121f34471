# METADATA
# title: CloudWatch alarm notifies no one
# description: >-
#   An alarm with its actions turned off, or with no alarm action, changes
#   state without telling anyone, so the condition it watches (root use,
#   denied calls, a failing service) is noticed only by chance.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CW-103
#   severity: low
#   resource_types: [aws_cloudwatch_metric_alarm]
#   controls:
#     gdpr: ["Art.32(1)(d)", "Art.33(1)"]
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"]
#     pci_dss: ["10.4.1", "11.5.1"]
#     soc2: ["CC7.2", "CC7.3"]
#     iso27001: ["A.8.16", "A.5.25"]
#   remediation: >-
#     Set actions_enabled = true and add an alarm_actions entry (an SNS
#     topic with a subscribed responder, or an automated response) to the
#     alarm.
package checks.aws.cloudwatch.alarm_actions

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "actions_enabled") == "known"
	r.attributes.actions_enabled == false
	msg := sprintf("CloudWatch alarm %q has its actions turned off (actions_enabled = false)", [r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "actions_enabled") == "known"
	r.attributes.actions_enabled != false
	result.attribute_state(r, "alarm_actions") == "known"
	count(object.get(r.attributes, "alarm_actions", [])) == 0
	msg := sprintf("CloudWatch alarm %q has no alarm action", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	some path in ["actions_enabled", "alarm_actions"]
	state := result.attribute_state(r, path)
	state != "known"
	msg := sprintf("CloudWatch alarm %q: %s is %s", [r.name, path, result.state_text[state]])
}
