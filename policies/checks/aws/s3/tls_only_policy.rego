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
#   remediation: >-
#     Add a bucket policy statement with Effect Deny, Principal "*", Action
#     "s3:*", Resource the bucket and its objects, and Condition
#     {"Bool": {"aws:SecureTransport": "false"}}.
package checks.aws.s3.tls_only_policy

import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources contains r if {
	some r in input.resources
	r.type in metadata.resource_types
}

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	not is_object(r.attributes.policy)
	msg := sprintf("S3 bucket %q has no bucket policy, so requests without TLS are allowed", [r.name])
}

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	is_object(r.attributes.policy)
	not _denies_insecure_transport(r.attributes.policy)
	msg := sprintf("S3 bucket %q bucket policy has no statement denying all S3 actions to everyone when aws:SecureTransport is false", [r.name])
}

findings contains result.indeterminate(rego.metadata.chain(), r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("S3 bucket %q: policy is %s", [r.name, result.state_text[state]])
}

# A policy's Statement is one statement or a list of them; Action, Principal
# AWS and condition values are one value or a list.
_statements(document) := s if {
	s := object.get(document, "Statement", [])
	is_array(s)
} else := [object.get(document, "Statement", {})]

_values(v) := v if is_array(v)

_values(v) := [v] if not is_array(v)

_denies_insecure_transport(document) if {
	some statement in _statements(document)
	is_object(statement)
	object.get(statement, "Effect", "") == "Deny"
	_everyone(object.get(statement, "Principal", null))
	some action in _values(object.get(statement, "Action", []))
	action in {"*", "s3:*"}
	_insecure_transport_condition(object.get(statement, "Condition", {}))
}

_everyone("*")

_everyone(principal) if {
	is_object(principal)
	"*" in _values(object.get(principal, "AWS", []))
}

# Condition operators and keys are case-insensitive; the value may be the
# string "false", the boolean false, or a list holding it.
_insecure_transport_condition(condition) if {
	is_object(condition)
	some operator, block in condition
	is_object(block)
	lower(operator) in {"bool", "boolifexists"}
	some key, value in block
	lower(key) == "aws:securetransport"
	some v in _values(value)
	lower(sprintf("%v", [v])) == "false"
}
