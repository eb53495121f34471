# METADATA
# title: IAM user with managed policies attached directly
# description: >-
#   Permissions attached to individual users drift apart user by user and are
#   missed when people change roles or leave; granting them through groups
#   (or roles) keeps access reviewable in one place (CIS AWS Foundations
#   1.15).
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-109
#   severity: low
#   resource_types: [aws_iam_user]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.2", "CC6.3"]
#     iso27001: ["A.5.15", "A.5.18"]
#   remediation: >-
#     Create a group for the job function, attach the policies to it, add the
#     user to the group and detach the policies from the user
#     (aws_iam_group_policy_attachment and aws_iam_user_group_membership
#     instead of aws_iam_user_policy_attachment).
package checks.aws.iam.user_attached_policies

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "attached_policy_arns") == "known"
	arns := r.attributes.attached_policy_arns
	is_array(arns)
	count(arns) > 0
	names := sort({_name(a) | some a in arns})
	msg := sprintf("IAM user %q has %d managed polic%s attached directly: %s", [r.name, count(arns), _plural(count(arns)), concat(", ", names)])
}

findings contains result.indeterminate(metadata, r, msg, ["attached_policy_arns"]) if {
	some r in resources
	state := result.attribute_state(r, "attached_policy_arns")
	state != "known"
	msg := sprintf("IAM user %q: attached_policy_arns is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["attached_policy_arns"]) if {
	some r in resources
	result.attribute_state(r, "attached_policy_arns") == "known"
	not is_array(r.attributes.attached_policy_arns)
	msg := sprintf("IAM user %q: attached_policy_arns is not a list of policy ARNs", [r.name])
}

# The policy's name: the last part of its ARN.
_name(arn) := parts[count(parts) - 1] if {
	is_string(arn)
	parts := split(arn, "/")
} else := sprintf("%v", [arn])

_plural(1) := "y"

_plural(n) := "ies" if n != 1
