# METADATA
# title: Lambda environment variables not encrypted with a customer-managed key
# description: >-
#   Environment variables often carry connection strings and tokens; under the
#   AWS-managed key anyone allowed to read the function's configuration reads
#   them, with no key policy of your own to restrict or audit decryption.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-LMB-001
#   severity: medium
#   resource_types: [aws_lambda_function]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set kms_key_arn on the function to a customer-managed KMS key whose policy
#     lets only the function's role and its administrators decrypt, or move
#     secrets out of environment variables into Secrets Manager.
package checks.aws.lambda.environment_kms

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_has_variables(r)
	result.attribute_state(r, "kms_key_arn") == "known"
	not _has_key(r)
	msg := sprintf("Lambda function %q has environment variables encrypted only with the AWS-managed key (kms_key_arn not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["environment"]) if {
	some r in resources
	state := result.attribute_state(r, "environment")
	state != "known"
	not _known_key(r)
	msg := sprintf("Lambda function %q: environment is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["kms_key_arn"]) if {
	some r in resources
	_has_variables(r)
	state := result.attribute_state(r, "kms_key_arn")
	state != "known"
	msg := sprintf("Lambda function %q: kms_key_arn is %s", [r.name, result.state_text[state]])
}

_has_variables(r) if {
	result.attribute_state(r, "environment") == "known"
	variables := object.get(_object(r.attributes.environment), "variables", null)
	is_object(variables)
	count(variables) > 0
}

_has_key(r) if {
	is_string(r.attributes.kms_key_arn)
	r.attributes.kms_key_arn != ""
}

_known_key(r) if {
	result.attribute_state(r, "kms_key_arn") == "known"
	_has_key(r)
}

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)
