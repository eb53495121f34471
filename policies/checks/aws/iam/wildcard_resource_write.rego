# METADATA
# title: IAM policy allows write actions on every resource
# description: >-
#   A statement that allows changing, deleting or creating on Resource "*"
#   reaches every bucket, table, key and instance of those services in the
#   account, present and future, not just the ones the holder works with.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-102
#   severity: medium
#   resource_types: [aws_iam_group_policy, aws_iam_policy, aws_iam_role, aws_iam_role_policy, aws_iam_user_policy]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.15", "A.8.2"]
#   remediation: >-
#     Name the resources (ARNs, with account and resource names or prefixes)
#     each write action needs; keep "*" only for read-only actions and for
#     the few actions that take no resource.
package checks.aws.iam.wildcard_resource_write

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	some doc in _documents(r)
	writes := {sprintf("%s (%s)", [_label_of(i, s), concat(", ", actions)]) |
		some i, s in _statements(doc.document)
		_allow(s)
		_every_resource(s)
		actions := _write_actions(s)
		count(actions) > 0
	}
	count(writes) > 0
	msg := sprintf("%s allows write actions on every resource in statement(s) %s", [doc.name, concat("; ", sort(writes))])
}

# An action is a write unless the part after the service starts with a
# read-only prefix ("s3:Get*" reads; "s3:*" and "*" also write). NotAction
# allows every other action, writes among them.
_write_actions(statement) := sort([a |
	some a in _values(object.get(statement, "Action", []))
	is_string(a)
	not _read_only(a)
]) if not "NotAction" in object.keys(statement)

else := ["NotAction"]

_read_only(action) if {
	parts := split(lower(action), ":")
	count(parts) == 2
	some prefix in params.value("iam_read_only_action_prefixes")
	startswith(parts[1], prefix)
}

# The policy documents a resource holds, each with the words naming it: an
# inline policy resource holds one (policy); a role its inline_policy blocks.
# A role whose inline_policy is not known (Terraform shows it so when the
# role's inline policies are separate aws_iam_role_policy resources, judged
# on their own) holds none here.
_documents(r) := [{"name": sprintf("%s %q", [_label[r.type], r.name]), "document": r.attributes.policy} |
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
] if r.type != "aws_iam_role"

_documents(r) := [{"name": sprintf("IAM role %q inline policy %q", [r.name, object.get(item, "name", sprintf("#%d", [i]))]), "document": item.policy} |
	_inline_listed(r)
	some i, item in r.attributes.inline_policy
	result.attribute_state(r, sprintf("inline_policy.%d.policy", [i])) != "unknown"
	is_object(item.policy)
] if r.type == "aws_iam_role"

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	r.type != "aws_iam_role"
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("%s %q: policy is %s", [_label[r.type], r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	r.type == "aws_iam_role"
	_inline_listed(r)
	some i, _ in r.attributes.inline_policy
	path := sprintf("inline_policy.%d.policy", [i])
	result.attribute_state(r, path) == "unknown"
	msg := sprintf("IAM role %q: %s is %s", [r.name, path, result.state_text.unknown])
}

# The role's list of inline policies is known, though a part of it may not be.
_inline_listed(r) if {
	not "inline_policy" in object.get(r, "unknown", [])
	is_array(object.get(r.attributes, "inline_policy", null))
}

_label := {
	"aws_iam_group_policy": "IAM group inline policy",
	"aws_iam_policy": "IAM policy",
	"aws_iam_role_policy": "IAM role inline policy",
	"aws_iam_user_policy": "IAM user inline policy",
}

# Statement is one statement or a list; Action and Resource one value or a list.
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

# Resource "*" or an ARN made only of wildcards; NotResource is every resource but a few.
_every_resource(statement) if {
	some resource in _values(object.get(statement, "Resource", []))
	is_string(resource)
	regex.match(`^\*$|^arn:(\*|aws(-[a-z]+)*)(:\*)+$|^arn:\*$`, resource)
}

_every_resource(statement) if "NotResource" in object.keys(statement)
