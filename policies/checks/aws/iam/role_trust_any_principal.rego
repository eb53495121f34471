# METADATA
# title: IAM role can be assumed by anyone
# description: >-
#   A trust policy that allows Principal "*" (or AWS "*") without a
#   condition lets any AWS account in the world assume the role and use all
#   of its permissions.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-104
#   severity: critical
#   resource_types: [aws_iam_role]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.15", "A.8.2"]
#   remediation: >-
#     Name the accounts, roles or services that may assume the role in
#     Principal, or keep "*" only with a condition such as
#     aws:PrincipalOrgID naming your organization.
package checks.aws.iam.role_trust_any_principal

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	open := [_label_of(i, s) |
		some i, s in _statements(_trust(r))
		_allow(s)
		"*" in _aws_principals(s)
		count(object.get(s, "Condition", {})) == 0
	]
	count(open) > 0
	msg := sprintf("IAM role %q can be assumed by any AWS principal, with no condition, in statement(s) %s", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["assume_role_policy"]) if {
	some r in resources
	state := result.attribute_state(r, "assume_role_policy")
	state != "known"
	msg := sprintf("IAM role %q: assume_role_policy is %s", [r.name, result.state_text[state]])
}

_trust(r) := r.attributes.assume_role_policy if {
	result.attribute_state(r, "assume_role_policy") == "known"
	is_object(r.attributes.assume_role_policy)
}

_statements(document) := s if {
	s := object.get(document, "Statement", [])
	is_array(s)
} else := [object.get(document, "Statement", {})]

_values(v) := v if is_array(v)

_values(v) := [v] if not is_array(v)

_label_of(i, statement) := statement.Sid if {
	is_string(statement.Sid)
	statement.Sid != ""
} else := sprintf("#%d", [i])

_allow(statement) if {
	is_object(statement)
	object.get(statement, "Effect", "") == "Allow"
}

# The AWS principals a statement names ("*" alone means every principal).
_aws_principals(statement) := ["*"] if object.get(statement, "Principal", null) == "*"

_aws_principals(statement) := [p | some p in _values(object.get(statement.Principal, "AWS", []))] if is_object(object.get(statement, "Principal", null))
