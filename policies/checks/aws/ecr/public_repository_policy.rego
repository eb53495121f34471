# METADATA
# title: ECR repository policy open to any AWS principal
# description: >-
#   A repository policy statement that allows "*" without a condition naming
#   an account, organization or network lets anyone with an AWS account pull
#   (or, with push actions, replace) the repository's images.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECR-004
#   severity: high
#   resource_types: [aws_ecr_repository_policy]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.15", "A.8.3"]
#   remediation: >-
#     Name the accounts or roles that may pull in Principal, or keep "*" and add
#     a condition such as {"StringEquals": {"aws:PrincipalOrgID":
#     "o-..."}}; publish public images through ECR Public instead.
package checks.aws.ecr.public_repository_policy

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Condition keys that tie an open principal to known callers or networks.
_restricting_keys := {
	"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount",
	"aws:principalarn", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid",
	"aws:sourceorgpaths", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_document(r)
	open := {sid |
		some i, statement in _statements(r.attributes.policy)
		_open(statement)
		sid := _sid(statement, i)
	}
	count(open) > 0
	msg := sprintf("ECR repository policy %q allows any AWS principal without a restricting condition (statement(s) %s)", [r.name, concat(", ", sort(open))])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("ECR repository policy %q: policy is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	not _document(r)
	msg := sprintf("ECR repository policy %q: policy is not a JSON policy document", [r.name])
}

_document(r) if {
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
}

_statements(document) := s if {
	s := object.get(document, "Statement", [])
	is_array(s)
} else := [object.get(document, "Statement", {})]

_values(v) := v if is_array(v)

_values(v) := [v] if not is_array(v)

_open(statement) if {
	is_object(statement)
	object.get(statement, "Effect", "") == "Allow"
	_everyone(object.get(statement, "Principal", null))
	not _restricted(object.get(statement, "Condition", {}))
}

_everyone("*")

_everyone(principal) if {
	is_object(principal)
	"*" in _values(object.get(principal, "AWS", []))
}

_restricted(condition) if {
	is_object(condition)
	some _, block in condition
	is_object(block)
	some key, _ in block
	is_string(key)
	lower(key) in _restricting_keys
}

_sid(statement, i) := statement.Sid if {
	is_string(statement.Sid)
	statement.Sid != ""
} else := sprintf("#%d", [i])
