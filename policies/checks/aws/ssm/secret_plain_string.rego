# METADATA
# title: SSM parameter named like a secret is not a SecureString
# description: >-
#   A parameter of type String or StringList is stored and returned
#   unencrypted, shown in the console and readable by anyone with
#   ssm:GetParameter; a name such as db-password says it holds a secret.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SSM-001
#   severity: high
#   resource_types: [aws_ssm_parameter]
#   controls:
#     gdpr: ["Art.32(1)(a)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(2)(iv)", "164.312(d)"]
#     pci_dss: ["8.3.2", "3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17", "A.8.24"]
#   remediation: >-
#     Recreate the parameter as type SecureString with a customer-managed
#     KMS key (or move the secret to Secrets Manager), rotate the exposed
#     value, and restrict ssm:GetParameter and kms:Decrypt to the readers
#     that need it.
package checks.aws.ssm.secret_plain_string

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_secret_name(r)
	result.attribute_state(r, "type") == "known"
	r.attributes.type != "SecureString"
	msg := sprintf("SSM parameter %q looks like a secret but is stored as %s, unencrypted", [r.attributes.name, r.attributes.type])
}

findings contains result.indeterminate(metadata, r, msg, ["type"]) if {
	some r in resources
	_secret_name(r)
	state := result.attribute_state(r, "type")
	state != "known"
	msg := sprintf("SSM parameter %q: type is %s", [r.attributes.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["name"]) if {
	some r in resources
	state := result.attribute_state(r, "name")
	state != "known"
	msg := sprintf("SSM parameter %q: name is %s", [r.name, result.state_text[state]])
}

_secret_name(r) if {
	result.attribute_state(r, "name") == "known"
	some pattern in params.value("secret_parameter_name_patterns")
	regex.match(pattern, r.attributes.name)
}
