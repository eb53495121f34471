# METADATA
# title: EventBridge event bus open to any account
# description: >-
#   A bus policy or permission that lets principal "*" put events, without a
#   condition on the organization or the source, lets any AWS account inject
#   events that trigger your rules and targets.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EVB-001
#   severity: high
#   resource_types: [aws_cloudwatch_event_bus_policy, aws_cloudwatch_event_permission]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(c)(1)"]
#     pci_dss: ["7.2.1", "1.4.4"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.5.15", "A.8.3"]
#   remediation: >-
#     Name the accounts that may put events as principals, or add a condition
#     on aws:PrincipalOrgID (a condition block with key aws:PrincipalOrgID on
#     aws_cloudwatch_event_permission) to every statement allowing "*".
package checks.aws.eventbridge.bus_open

import data.lib.inventory
import data.lib.resource_policy
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type == "aws_cloudwatch_event_bus_policy"
	result.attribute_state(r, "policy") == "known"
	doc := resource_policy.document(r.attributes.policy)
	open := resource_policy.open_statements(doc)
	count(open) > 0
	msg := sprintf("EventBridge bus policy %q allows any principal without a narrowing condition: %s", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	r.type == "aws_cloudwatch_event_bus_policy"
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("EventBridge bus policy %q: policy is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	r.type == "aws_cloudwatch_event_bus_policy"
	result.attribute_state(r, "policy") == "known"
	resource_policy.unreadable(r.attributes.policy)
	msg := sprintf("EventBridge bus policy %q: policy is not a JSON policy document", [r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type == "aws_cloudwatch_event_permission"
	result.attribute_state(r, "principal") == "known"
	r.attributes.principal == "*"
	result.attribute_state(r, "condition") == "known"
	not is_object(r.attributes.condition)
	msg := sprintf("EventBridge permission %q lets any account put events, with no condition", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["principal"]) if {
	some r in resources
	r.type == "aws_cloudwatch_event_permission"
	state := result.attribute_state(r, "principal")
	state != "known"
	msg := sprintf("EventBridge permission %q: principal is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["condition"]) if {
	some r in resources
	r.type == "aws_cloudwatch_event_permission"
	result.attribute_state(r, "principal") == "known"
	r.attributes.principal == "*"
	state := result.attribute_state(r, "condition")
	state != "known"
	msg := sprintf("EventBridge permission %q lets any account put events; condition is %s", [r.name, result.state_text[state]])
}
