# METADATA
# title: Secrets Manager secret policy open to any principal
# description: >-
#   A resource policy that allows Principal "*" without a condition naming an
#   account, organization, network or source lets principals of any AWS
#   account call the secret's actions, such as reading its value, limited
#   only by the key's policy.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SEC-004
#   severity: critical
#   resource_types: [aws_secretsmanager_secret]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.1", "8.3.2"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.5.15", "A.5.17", "A.8.3"]
#   remediation: >-
#     Name the accounts or roles that need the secret as principals instead
#     of "*", or add a condition on aws:PrincipalOrgID, aws:PrincipalAccount
#     or aws:SourceVpce to every Allow statement; turn on
#     block_public_policy on aws_secretsmanager_secret_policy.
package checks.aws.secretsmanager.policy_public

import data.lib.inventory
import data.lib.resource_policy
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# null, "" and "{}" (how Terraform removes a policy) are no policy: nothing is
# shared.

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	doc := resource_policy.document(r.attributes.policy)
	open := resource_policy.open_statements(doc)
	count(open) > 0
	msg := sprintf("Secrets Manager secret %q policy allows any principal without a narrowing condition: %s", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("Secrets Manager secret %q: policy is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	r.attributes.policy != ""
	resource_policy.unreadable(r.attributes.policy)
	msg := sprintf("Secrets Manager secret %q: policy is not a JSON policy document", [r.name])
}
