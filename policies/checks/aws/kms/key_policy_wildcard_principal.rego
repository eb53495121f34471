# METADATA
# title: KMS key policy allows any principal without a condition
# description: >-
#   A key policy statement that allows Principal "*" (or AWS "*", or uses
#   NotPrincipal) without a condition limiting the caller lets any AWS
#   account's principals use or manage the key, so the key no longer limits
#   who can decrypt the data it protects.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-KMS-002
#   severity: critical
#   resource_types: [aws_kms_key]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["3.6.1", "7.2.1"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.8.24", "A.5.15"]
#   remediation: >-
#     Name the account root, roles or services in the statement's Principal, or
#     keep "*" only with a Condition that scopes it (kms:CallerAccount,
#     kms:ViaService, aws:PrincipalOrgID).
package checks.aws.kms.key_policy_wildcard_principal

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
	open := _open_statements(r.attributes.policy)
	count(open) > 0
	msg := sprintf("KMS key %q policy allows any principal without a condition limiting the caller in statement(s) %s", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("KMS key %q: policy is %s", [r.name, result.state_text[state]])
}

# Statements named by a non-empty string Sid, or by their position otherwise
# (a null or numeric Sid must not break concat).
_open_statements(document) := [_label(i, statement) |
	some i, statement in _statements(document)
	is_object(statement)
	object.get(statement, "Effect", "") == "Allow"
	_any_principal(statement)
	not _restricts_caller(object.get(statement, "Condition", {}))
]

_label(i, statement) := statement.Sid if {
	is_string(statement.Sid)
	statement.Sid != ""
} else := sprintf("#%d", [i])

# Statement is one statement or a list; Principal AWS is one value or a list.
_statements(document) := s if {
	s := object.get(document, "Statement", [])
	is_array(s)
} else := [object.get(document, "Statement", {})]

_values(v) := v if is_array(v)

_values(v) := [v] if not is_array(v)

# Principal "*" or AWS "*"; Allow with NotPrincipal allows everyone but the
# principals it names.
_any_principal(statement) if _everyone(object.get(statement, "Principal", null))

_any_principal(statement) if "NotPrincipal" in object.keys(statement)

_everyone("*")

_everyone(principal) if {
	is_object(principal)
	"*" in _values(object.get(principal, "AWS", []))
}

# Condition keys that limit who can use the key (compared in lower case).
_caller_keys := {
	"kms:calleraccount",
	"kms:viaservice",
	"aws:principalorgid",
	"aws:principalaccount",
	"aws:principalarn",
	"aws:sourceaccount",
	"aws:sourcearn",
	"aws:sourcevpc",
	"aws:sourcevpce",
}

# A condition restricts the caller when one of its tests names callers: a
# caller key with a non-empty value under a positive operator. Negated
# operators (StringNotEquals, ...) let every other caller through, IfExists
# operators pass callers without the key, and Null only tests presence; an
# empty block or a condition on other keys limits nobody.
_restricts_caller(condition) if {
	is_object(condition)
	some operator, block in condition
	_positive_operator(operator)
	is_object(block)
	some key, value in block
	lower(key) in _caller_keys
	some v in _values(value)
	_names_something(v)
}

_positive_operator(operator) if {
	is_string(operator)
	op := lower(operator)
	not contains(op, "not")
	not endswith(op, "ifexists")
	not endswith(op, "null")
}

_names_something(v) if {
	is_string(v)
	not trim_space(v) in {"", "*"}
}

_names_something(v) if is_number(v)
