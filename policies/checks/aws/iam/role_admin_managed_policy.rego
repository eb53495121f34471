# METADATA
# title: IAM role with an administrator-equivalent AWS managed policy attached
# description: >-
#   AdministratorAccess grants every action on every resource, and
#   IAMFullAccess lets the role grant itself that; whoever or whatever can
#   assume such a role (a workload, a pipeline, another account) holds the
#   whole account.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-110
#   severity: high
#   resource_types: [aws_iam_role]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.15", "A.8.2"]
#   remediation: >-
#     Detach the policy and attach a policy limited to the actions and
#     resources the role's users need (IAM Access Analyzer can generate one
#     from CloudTrail activity); keep break-glass administrator roles few,
#     behind MFA and monitored.
package checks.aws.iam.role_admin_managed_policy

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "managed_policy_arns") == "known"
	admin := _admin_policies(r)
	count(admin) > 0
	msg := sprintf("IAM role %q has administrator-equivalent AWS managed polic%s attached: %s", [r.name, _plural(count(admin)), concat(", ", sort(admin))])
}

findings contains result.indeterminate(metadata, r, msg, ["managed_policy_arns"]) if {
	some r in resources
	state := result.attribute_state(r, "managed_policy_arns")
	state != "known"
	msg := sprintf("IAM role %q: managed_policy_arns is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["managed_policy_arns"]) if {
	some r in resources
	result.attribute_state(r, "managed_policy_arns") == "known"
	not is_array(r.attributes.managed_policy_arns)
	msg := sprintf("IAM role %q: managed_policy_arns is not a list of policy ARNs", [r.name])
}

# Names of the listed AWS managed policies (arn:<partition>:iam::aws:policy/
# with any path) among the role's.
_admin_policies(r) := {name |
	is_array(r.attributes.managed_policy_arns)
	some arn in r.attributes.managed_policy_arns
	is_string(arn)
	parts := regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:iam::aws:policy/(?:.*/)?([^/]+)$`, arn, 1)
	count(parts) == 1
	name := parts[0][1]
	name in params.value("iam_admin_equivalent_managed_policies")
}

_plural(1) := "y"

_plural(n) := "ies" if n != 1
