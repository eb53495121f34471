# METADATA
# title: S3 bucket policy does not deny requests without TLS
# description: >-
#   S3 accepts plain HTTP requests unless the bucket policy denies them, so
#   without a TLS-only policy objects and credentials can cross the network
#   unencrypted.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-006
#   severity: medium
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Add a bucket policy statement with Effect Deny, Principal "*", Action
#     "s3:*", Resource the bucket and its objects, and Condition
#     {"Bool": {"aws:SecureTransport": "false"}}.
package checks.aws.s3.tls_only_policy

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	not is_object(r.attributes.policy)
	msg := sprintf("S3 bucket %q has no bucket policy, so requests without TLS are allowed", [r.name])
}

# The bucket name is known (or missing, then the resource name stands in for
# it): the deny must cover that bucket and its objects.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
	result.attribute_state(r, "bucket") != "unknown"
	not _denies_insecure_transport(r.attributes.policy, _bucket_name(r))
	msg := _no_deny_message(r)
}

# The bucket name is known only after apply: only a deny on every bucket can be
# matched. Without any TLS-only deny the policy fails whatever the name.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
	result.attribute_state(r, "bucket") == "unknown"
	not _has_tls_deny(r.attributes.policy)
	msg := _no_deny_message(r)
}

findings contains result.indeterminate(metadata, r, msg, ["bucket"]) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
	result.attribute_state(r, "bucket") == "unknown"
	_has_tls_deny(r.attributes.policy)
	not _denies_insecure_transport(r.attributes.policy, null)
	msg := sprintf("S3 bucket %q: bucket is %s, so whether the TLS-only statement covers it cannot be told", [r.name, result.state_text.unknown])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("S3 bucket %q: policy is %s", [r.name, result.state_text[state]])
}

_no_deny_message(r) := sprintf("S3 bucket %q bucket policy has no statement denying all S3 actions on the bucket and its objects to everyone whenever aws:SecureTransport is false", [r.name])

_bucket_name(r) := r.attributes.bucket if {
	result.attribute_state(r, "bucket") == "known"
	is_string(r.attributes.bucket)
	r.attributes.bucket != ""
} else := r.name

# A policy's Statement is one statement or a list of them; Action, Resource,
# Principal AWS and condition values are one value or a list.
_statements(document) := s if {
	s := object.get(document, "Statement", [])
	is_array(s)
} else := [object.get(document, "Statement", {})]

_values(v) := v if is_array(v)

_values(v) := [v] if not is_array(v)

# The bucket (name null: not known) is covered when the TLS-only deny
# statements together cover both the bucket ARN and its objects.
_denies_insecure_transport(document, name) if {
	covered := {c |
		some statement in _statements(document)
		_tls_deny(statement)
		some resource in _values(object.get(statement, "Resource", []))
		some c in _covers(resource, name)
	}
	covered == {"bucket", "objects"}
}

_has_tls_deny(document) if {
	some statement in _statements(document)
	_tls_deny(statement)
}

# "*" and "arn:aws:s3:::*" cover every bucket and object; else a resource
# covers the bucket or its objects by naming them exactly.
_covers(resource, name) := {"bucket", "objects"} if {
	resource in {"*", "arn:aws:s3:::*"}
} else := {part | some part, arn in _arns(name); resource == arn}

_arns(name) := {
	"bucket": concat("", ["arn:aws:s3:::", name]),
	"objects": concat("", ["arn:aws:s3:::", name, "/*"]),
} if is_string(name)

_arns(name) := {} if not is_string(name)

# A Deny of every S3 action to every principal whose only condition is
# aws:SecureTransport false: any further condition (or a list of values that
# also holds true) narrows the deny, leaving other plain-HTTP requests allowed.
_tls_deny(statement) if {
	is_object(statement)
	object.get(statement, "Effect", "") == "Deny"
	_everyone(object.get(statement, "Principal", null))
	some action in _values(object.get(statement, "Action", []))
	is_string(action)
	lower(action) in {"*", "s3:*"}
	_only_insecure_transport_condition(object.get(statement, "Condition", {}))
}

_everyone("*")

_everyone(principal) if {
	is_object(principal)
	"*" in _values(object.get(principal, "AWS", []))
}

# Condition operators and keys are case-insensitive; the value may be the
# string "false", the boolean false, or a list holding only that.
_only_insecure_transport_condition(condition) if {
	is_object(condition)
	count(condition) == 1
	some operator, block in condition
	is_string(operator)
	lower(operator) in {"bool", "boolifexists"}
	is_object(block)
	count(block) == 1
	some key, value in block
	is_string(key)
	lower(key) == "aws:securetransport"
	values := _values(value)
	count(values) > 0
	every v in values {
		lower(sprintf("%v", [v])) == "false"
	}
}
