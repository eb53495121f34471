# METADATA
# title: IAM role trusts GitHub Actions without limiting which repositories
# description: >-
#   GitHub's OIDC provider signs tokens for every workflow of every
#   repository on github.com. A role that trusts it without a
#   token.actions.githubusercontent.com:sub condition naming your repositories
#   can be assumed from any repository anyone creates, and gets your role's
#   permissions.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-107
#   severity: critical
#   resource_types: [aws_iam_role]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.15", "A.8.2"]
#   remediation: >-
#     Add a condition {"StringEquals" or "StringLike":
#     {"token.actions.githubusercontent.com:sub": "repo:<owner>/<repo>:<ref or
#     environment>"}} naming each repository (and, better, the branch or
#     environment) allowed to assume the role, together with
#     token.actions.githubusercontent.com:aud = sts.amazonaws.com.
package checks.aws.iam.role_github_oidc_subject

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	open := _open_statements(r)
	count(open) > 0
	msg := sprintf("IAM role %q lets GitHub Actions workflows outside your repositories assume it (%s)", [r.name, concat("; ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["assume_role_policy"]) if {
	some r in resources
	state := result.attribute_state(r, "assume_role_policy")
	state != "known"
	msg := sprintf("IAM role %q: assume_role_policy is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["assume_role_policy"]) if {
	some r in resources
	result.attribute_state(r, "assume_role_policy") == "known"
	policy := r.attributes.assume_role_policy
	policy != null
	not is_object(policy)
	msg := sprintf("IAM role %q: assume_role_policy is not a policy document", [r.name])
}

# Allow statements trusting GitHub's OIDC provider whose subject is not
# limited, with the reason.
_open_statements(r) := [sprintf("%s: %s", [_label(i, s), reason]) |
	result.attribute_state(r, "assume_role_policy") == "known"
	is_object(r.attributes.assume_role_policy)
	some i, s in _statements(r.attributes.assume_role_policy)
	is_object(s)
	object.get(s, "Effect", "") == "Allow"
	_trusts_github(s)
	reason := _unlimited(s)
]

_trusts_github(statement) if {
	principal := object.get(statement, "Principal", null)
	is_object(principal)
	some p in _values(object.get(principal, "Federated", []))
	is_string(p)
	contains(lower(p), "token.actions.githubusercontent.com")
}

# The reason a statement's subject is not limited; undefined when it is.
_unlimited(statement) := "no token.actions.githubusercontent.com:sub condition" if {
	count(_subject_conditions(statement)) == 0
} else := reason if {
	not _limited_by_some_condition(statement)
	loose := sort({v | some values in _subject_conditions(statement); some v in values; not _limiting(v)})
	reason := sprintf("sub condition allows %s", [concat(", ", [sprintf("%q", [v]) | some v in loose])])
}

# The value lists of non-negated conditions on the sub claim (an enterprise
# issuer adds a path: token.actions.githubusercontent.com/<slug>:sub).
_subject_conditions(statement) := [values |
	condition := object.get(statement, "Condition", {})
	is_object(condition)
	some operator, block in condition
	is_string(operator)
	not contains(lower(operator), "not")
	is_object(block)
	some key, value in block
	is_string(key)
	startswith(lower(key), "token.actions.githubusercontent.com")
	endswith(lower(key), ":sub")
	values := _values(value)
]

# Conditions are ANDed: one condition whose every value is limited suffices.
_limited_by_some_condition(statement) if {
	some values in _subject_conditions(statement)
	count(values) > 0
	every v in values {
		_limiting(v)
	}
}

# A subject without wildcards names one subject exactly.
_limiting(v) if {
	is_string(v)
	v != ""
	not regex.match(`[*?]`, v)
}

# repo:<owner>/<repo>... with owner and repository free of wildcards (any
# branch, tag or environment of one repository).
_limiting(v) if {
	is_string(v)
	regex.match(`^repo:[^*?/:]+/[^*?/:]+(:.*)?$`, v)
}

# repo:<owner>/* (every repository of one owner) only when the parameter allows it.
_limiting(v) if {
	params.value("github_oidc_owner_wide_subjects_allowed") == true
	is_string(v)
	regex.match(`^repo:[^*?/:]+/.+$`, v)
}

_statements(document) := s if {
	s := object.get(document, "Statement", [])
	is_array(s)
} else := [object.get(document, "Statement", {})]

_values(v) := v if is_array(v)

_values(v) := [v] if not is_array(v)

_label(i, statement) := sprintf("statement %q", [statement.Sid]) if {
	is_string(statement.Sid)
	statement.Sid != ""
} else := sprintf("statement %d", [i + 1])
