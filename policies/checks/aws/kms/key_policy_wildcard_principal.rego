# METADATA
# title: KMS key policy allows any principal without a condition
# description: >-
#   A key policy statement that allows Principal "*" (or AWS "*") without a
#   condition lets any AWS account's principals use or manage the key, so the
#   key no longer limits who can decrypt the data it protects.
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
#   remediation: >-
#     Name the account root, roles or services in the statement's Principal, or
#     keep "*" only with a Condition that scopes it (kms:CallerAccount,
#     kms:ViaService, aws:PrincipalOrgID).
package checks.aws.kms.key_policy_wildcard_principal

import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources contains r if {
	some r in input.resources
	r.type in metadata.resource_types
}

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
	open := _open_statements(r.attributes.policy)
	count(open) > 0
	msg := sprintf("KMS key %q policy allows any principal without a condition in statement(s) %s", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(rego.metadata.chain(), r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("KMS key %q: policy is %s", [r.name, result.state_text[state]])
}

# Statements named by Sid, or by their position when they have none.
_open_statements(document) := [name |
	some i, statement in _statements(document)
	is_object(statement)
	object.get(statement, "Effect", "") == "Allow"
	_everyone(object.get(statement, "Principal", null))
	object.get(statement, "Condition", {}) in [{}, null]
	name := object.get(statement, "Sid", sprintf("#%d", [i]))
]

# Statement is one statement or a list; Principal AWS is one value or a list.
_statements(document) := s if {
	s := object.get(document, "Statement", [])
	is_array(s)
} else := [object.get(document, "Statement", {})]

_values(v) := v if is_array(v)

_values(v) := [v] if not is_array(v)

_everyone("*")

_everyone(principal) if {
	is_object(principal)
	"*" in _values(object.get(principal, "AWS", []))
}
