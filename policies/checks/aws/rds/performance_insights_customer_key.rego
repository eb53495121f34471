# METADATA
# title: Performance Insights on classified RDS data without a customer-managed KMS key
# description: >-
#   Performance Insights keeps the text of the queries a database runs, and
#   query text often carries the personal, health or card data in its
#   literals. For a database holding classified data that copy must be
#   encrypted with a customer-managed KMS key like the database itself; the
#   AWS-managed key (alias/aws/rds, the default) can be used by anyone allowed
#   to use RDS in the account.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-015
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24", "A.8.12"]
#   remediation: >-
#     Set performance_insights_kms_key_id to a customer-managed KMS key whose
#     key policy is limited to the database's roles. The key cannot be changed
#     once Performance Insights has data: turn Performance Insights off and on
#     again with the new key (its history is lost) or, if it is not needed,
#     set performance_insights_enabled = false.
package checks.aws.rds.performance_insights_customer_key

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only databases holding classified data are in scope.
resources := {r | some r in inventory.of(metadata); tags.classified(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_enabled(r)
	result.attribute_state(r, "performance_insights_kms_key_id") == "known"
	key := r.attributes.performance_insights_kms_key_id
	not _customer_managed(key)
	msg := sprintf("%s %q holds classified data (%s) and keeps Performance Insights data without a customer-managed KMS key (performance_insights_kms_key_id = %s)", [
		r.type, r.name, _classes(r), _text(key),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["performance_insights_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "performance_insights_enabled")
	state != "known"
	msg := sprintf("%s %q: performance_insights_enabled is %s", [r.type, r.name, result.state_text[state]])
}

# Off is false or null (never set); anything else is not a recorded answer.
findings contains result.indeterminate(metadata, r, msg, ["performance_insights_enabled"]) if {
	some r in resources
	result.attribute_state(r, "performance_insights_enabled") == "known"
	value := r.attributes.performance_insights_enabled
	not is_boolean(value)
	value != null
	msg := sprintf("%s %q: performance_insights_enabled is not a boolean (%s)", [r.type, r.name, _text(value)])
}

# With Performance Insights on, a key that is unknown (Terraform computes the
# default key only at apply) or not collected is undecided.
findings contains result.indeterminate(metadata, r, msg, ["performance_insights_kms_key_id"]) if {
	some r in resources
	_enabled(r)
	state := result.attribute_state(r, "performance_insights_kms_key_id")
	state != "known"
	msg := sprintf("%s %q: performance_insights_kms_key_id is %s", [r.type, r.name, result.state_text[state]])
}

_enabled(r) if {
	result.attribute_state(r, "performance_insights_enabled") == "known"
	r.attributes.performance_insights_enabled == true
}

# A key id or ARN that is not an AWS-managed alias (alias/aws/...); null or
# empty means the default, AWS-managed, key.
_customer_managed(key) if {
	is_string(key)
	trim_space(key) != ""
	not contains(key, "alias/aws/")
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)

_classes(r) := concat(", ", sort([c |
	some c in tags.data_classes(r)
	c in params.value("classified_data_classes")
]))
