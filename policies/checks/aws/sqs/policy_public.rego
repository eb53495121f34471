# METADATA
# title: SQS queue policy open to any principal
# description: >-
#   A queue policy that allows Principal "*" without a condition naming an
#   account, organization or source lets anyone send messages to the queue or
#   read and delete them.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SQS-002
#   severity: high
#   resource_types: [aws_sqs_queue, aws_sqs_queue_policy]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.1", "1.4.4"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.5.15", "A.8.3"]
#   remediation: >-
#     Replace Principal "*" with the accounts or services that need the queue,
#     or add a condition on aws:SourceArn, aws:SourceAccount or
#     aws:PrincipalOrgID to every Allow statement.
package checks.aws.sqs.policy_public

import data.lib.inventory
import data.lib.resource_policy
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	doc := resource_policy.document(r.attributes.policy)
	open := resource_policy.open_statements(doc)
	count(open) > 0
	msg := sprintf("%s %q policy allows any principal without a narrowing condition: %s", [r.type, r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("%s %q: policy is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	resource_policy.unreadable(r.attributes.policy)
	msg := sprintf("%s %q: policy is not a JSON policy document", [r.type, r.name])
}
