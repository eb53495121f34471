# METADATA
# title: IAM policy grants every action on every resource
# description: >-
#   A policy that allows Action "*" (or NotAction) on Resource "*" (or
#   NotResource) gives whoever holds it full administrator rights, including
#   reading all data, changing IAM and turning off logging, far beyond least
#   privilege.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-005
#   severity: high
#   resource_types: [aws_iam_policy]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.8.2", "A.5.15"]
#   remediation: >-
#     Replace the statement with the actions and resources the holders need
#     (IAM Access Analyzer can generate one from CloudTrail activity); keep full
#     administrator access to a few break-glass roles.
package checks.aws.iam.admin_policy

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
	admin := _admin_statements(r.attributes.policy)
	count(admin) > 0
	msg := sprintf("IAM policy %q allows every action on every resource in statement(s) %s", [r.name, concat(", ", admin)])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("IAM policy %q: policy is %s", [r.name, result.state_text[state]])
}

# Statements named by a non-empty string Sid, or by their position otherwise
# (a null or numeric Sid must not break concat). A condition does not make a
# full wildcard grant least-privilege. IAM only knows Effect "Allow" spelled
# exactly so; any other Effect is no grant.
_admin_statements(document) := [_label(i, statement) |
	some i, statement in _statements(document)
	is_object(statement)
	object.get(statement, "Effect", "") == "Allow"
	_every_action(statement)
	_every_resource(statement)
]

_label(i, statement) := statement.Sid if {
	is_string(statement.Sid)
	statement.Sid != ""
} else := sprintf("#%d", [i])

# Statement is one statement or a list; Action and Resource one value or a list.
_statements(document) := s if {
	s := object.get(document, "Statement", [])
	is_array(s)
} else := [object.get(document, "Statement", {})]

_values(v) := v if is_array(v)

_values(v) := [v] if not is_array(v)

# Action "*" or "*:*"; NotAction allows every action but the ones it lists.
_every_action(statement) if {
	some action in _values(object.get(statement, "Action", []))
	action in {"*", "*:*"}
}

_every_action(statement) if "NotAction" in object.keys(statement)

# Resource "*" or an ARN made only of wildcards after its partition
# ("arn:*", "arn:aws:*", "arn:aws:*:*:*:*"); NotResource is every resource
# but the ones it lists.
_every_resource(statement) if {
	some resource in _values(object.get(statement, "Resource", []))
	_all_resources(resource)
}

_every_resource(statement) if "NotResource" in object.keys(statement)

_all_resources("*")

_all_resources(resource) if {
	is_string(resource)
	regex.match(`^arn:(\*|aws(-[a-z]+)*)(:\*)+$|^arn:\*$`, resource)
}
