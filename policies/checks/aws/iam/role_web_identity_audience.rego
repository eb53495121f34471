# METADATA
# title: IAM role trusts a web identity provider without an audience condition
# description: >-
#   An identity provider signs tokens for every application registered with
#   it. A role assumable with sts:AssumeRoleWithWebIdentity that does not
#   check the token's audience (the provider's :aud key, or :app_id for
#   Facebook and Login with Amazon) accepts tokens minted for someone else's
#   application.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-108
#   severity: high
#   resource_types: [aws_iam_role]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.15", "A.8.2"]
#   remediation: >-
#     Add a StringEquals condition on the provider's audience key, such as
#     {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"} or
#     {"oidc.eks.<region>.amazonaws.com/id/<id>:aud": "sts.amazonaws.com"}, to
#     every statement that allows sts:AssumeRoleWithWebIdentity.
package checks.aws.iam.role_web_identity_audience

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	open := _unchecked(r)
	count(open) > 0
	msg := sprintf("IAM role %q accepts web identity tokens without checking their audience (%s)", [r.name, concat("; ", open)])
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

# "<statement>: <provider>" for each provider an allowing statement trusts
# for web identity without an audience condition for it.
_unchecked(r) := [sprintf("%s: %s", [_label(i, s), issuer]) |
	result.attribute_state(r, "assume_role_policy") == "known"
	is_object(r.attributes.assume_role_policy)
	some i, s in _statements(r.attributes.assume_role_policy)
	is_object(s)
	object.get(s, "Effect", "") == "Allow"
	_web_identity_action(s)
	principal := object.get(s, "Principal", null)
	is_object(principal)
	some p in _values(object.get(principal, "Federated", []))
	issuer := _issuer(p)
	not _audience_checked(s, issuer)
]

# The provider a Federated principal names: the part after oidc-provider/ of
# an ARN, or the name itself (accounts.google.com, cognito-identity.amazonaws.com);
# SAML providers are not web identity providers.
_issuer(p) := lower(parts[0][1]) if {
	is_string(p)
	parts := regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/(.+)$`, p, 1)
	count(parts) == 1
}

_issuer(p) := lower(p) if {
	is_string(p)
	not startswith(p, "arn:")
}

_web_identity_action(statement) if {
	some a in _values(object.get(statement, "Action", []))
	is_string(a)
	glob.match(lower(a), [], "sts:assumerolewithwebidentity")
}

_web_identity_action(statement) if {
	not "Action" in object.keys(statement)
	not_actions := _values(object.get(statement, "NotAction", []))
	count(not_actions) > 0
	not _listed(not_actions)
}

_listed(actions) if {
	some a in actions
	is_string(a)
	glob.match(lower(a), [], "sts:assumerolewithwebidentity")
}

# The audience keys a provider's tokens are checked with.
_audience_keys(issuer) := {sprintf("%s:app_id", [issuer])} if {
	issuer in {"graph.facebook.com", "www.amazon.com"}
} else := {sprintf("%s:aud", [issuer]), sprintf("%s:oaud", [issuer])}

# A non-negated condition on an audience key with values that are not all
# wildcards.
_audience_checked(statement, issuer) if {
	condition := object.get(statement, "Condition", {})
	is_object(condition)
	some operator, block in condition
	is_string(operator)
	not contains(lower(operator), "not")
	is_object(block)
	some key, value in block
	is_string(key)
	lower(key) in _audience_keys(issuer)
	values := _values(value)
	count(values) > 0
	every v in values {
		is_string(v)
		not regex.match(`^[*?]*$`, v)
	}
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
