# METADATA
# title: IAM role trusts another account without an external id
# description: >-
#   A role that another AWS account may assume without an sts:ExternalId
#   condition can be used by anyone who persuades that account's service to
#   act for them (the confused deputy problem), reaching your data with the
#   role's permissions.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-105
#   severity: high
#   resource_types: [aws_iam_role]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.15", "A.8.2"]
#   remediation: >-
#     Add a Condition {"StringEquals": {"sts:ExternalId": "<value agreed
#     with the third party>"}} to the statement, or list your own
#     organization's accounts in trusted_account_ids.
package checks.aws.iam.role_trust_external_id

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	own := _own_account(r)
	external := {a | some a in _unguarded_accounts(r); a != own}
	count(external) > 0
	msg := sprintf("IAM role %q trusts other account(s) %s without an sts:ExternalId condition", [r.name, concat(", ", sort(external))])
}

# The role's own account is not known: an account outside the trusted list
# may be the role's own.
findings contains result.indeterminate(metadata, r, msg, ["arn"]) if {
	some r in resources
	not _own_account(r)
	accounts := _unguarded_accounts(r)
	count(accounts) > 0
	msg := sprintf("IAM role %q trusts account(s) %s without an sts:ExternalId condition, and its own account is not known", [r.name, concat(", ", sort(accounts))])
}

# Accounts named by AWS principals of Allow statements with no
# sts:ExternalId condition, other than the trusted accounts.
_unguarded_accounts(r) := {a |
	some s in _statements(_trust(r))
	_allow(s)
	not _external_id(s)
	some p in _aws_principals(s)
	a := _account(p)
	not a in params.value("trusted_account_ids")
}

_account(p) := p if {
	is_string(p)
	regex.match(`^[0-9]{12}$`, p)
}

_account(p) := account if {
	is_string(p)
	parts := regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:(iam|sts)::([0-9]{12}):`, p, 1)
	count(parts) == 1
	account := parts[0][2]
}

_external_id(statement) if {
	some _, block in object.get(statement, "Condition", {})
	is_object(block)
	some key, _ in block
	lower(key) == "sts:externalid"
}

_own_account(r) := r.account if is_string(object.get(r, "account", null))

else := account if {
	result.attribute_state(r, "arn") == "known"
	parts := regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:iam::([0-9]{12}):`, r.attributes.arn, 1)
	account := parts[0][1]
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
