# METADATA
# title: IAM user has an inline policy
# description: >-
#   Permissions written into a user, rather than granted through a group or
#   role, are granted one person at a time, escape the reviews of shared
#   policies and are easily left behind when the person changes jobs.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-106
#   severity: low
#   resource_types: [aws_iam_user_policy]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.15", "A.8.2"]
#   remediation: >-
#     Move the permissions to a managed policy attached to a group (or
#     better, a role assumed through IAM Identity Center), add the user to
#     the group and delete the inline policy.
package checks.aws.iam.user_inline_policy

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	msg := sprintf("IAM user %s has the inline policy %q", [_user(r), r.name])
}

_user(r) := sprintf("%q", [r.attributes.user]) if {
	result.attribute_state(r, "user") == "known"
	is_string(r.attributes.user)
} else := sprintf("(user %s)", [result.state_text[result.attribute_state(r, "user")]])
