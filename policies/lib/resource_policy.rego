# METADATA
# title: Resource policy readers
# description: |
#   Reads resource-based policies (SNS topics, SQS queues, EventBridge buses):
#   a document held as an object or as a JSON string, and whether a statement
#   allows any principal without a condition that narrows who may call.
package lib.resource_policy

# document is the policy as an object: the object itself, or a JSON string
# parsed; undefined for text that is not a JSON object (the caller says
# indeterminate) and for null (no policy).
document(value) := value if is_object(value)

document(value) := doc if {
	is_string(value)
	json.is_valid(value)
	doc := json.unmarshal(value)
	is_object(doc)
}

# unreadable holds for a policy value that is neither null, an object nor a
# JSON object in a string.
unreadable(value) if {
	value != null
	not document(value)
}

# statements of a document: Statement is one statement or a list of them.
statements(doc) := s if {
	s := object.get(doc, "Statement", [])
	is_array(s)
} else := [object.get(doc, "Statement", {})]

values(v) := v if is_array(v)

values(v) := [v] if not is_array(v)

# Condition keys that tie a request to an account, organisation, source
# resource or network: a statement with one of them is not open to everyone.
narrowing_keys := {
	"aws:sourcearn",
	"aws:sourceaccount",
	"aws:sourceowner",
	"aws:sourceorgid",
	"aws:sourceorgpaths",
	"aws:principalorgid",
	"aws:principalorgpaths",
	"aws:principalaccount",
	"aws:principalarn",
	"aws:sourcevpc",
	"aws:sourcevpce",
	"aws:sourceip",
}

# open_statements are the Allow statements of doc that name every principal
# and carry no narrowing condition, as their Sid (or position when unnamed).
open_statements(doc) := [_label(s, i) |
	some i, s in statements(doc)
	open_allow(s)
]

open_allow(statement) if {
	is_object(statement)
	object.get(statement, "Effect", "") == "Allow"
	everyone(object.get(statement, "Principal", null))
	not _narrowed(object.get(statement, "Condition", {}))
}

everyone("*")

everyone(principal) if {
	is_object(principal)
	"*" in values(object.get(principal, "AWS", []))
}

# A narrowing key with at least one value that is not a wildcard.
_narrowed(condition) if {
	is_object(condition)
	some _, block in condition
	is_object(block)
	some key, value in block
	is_string(key)
	lower(key) in narrowing_keys
	some v in values(value)
	v != "*"
}

_label(s, i) := s.Sid if {
	is_string(s.Sid)
	s.Sid != ""
} else := sprintf("statement %d", [i + 1])
