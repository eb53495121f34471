# METADATA
# title: Lambda function URL without authentication
# description: >-
#   A function URL with authorization type NONE lets anyone on the internet
#   invoke the function, with no IAM signature to identify or limit callers.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-LMB-002
#   severity: high
#   resource_types: [aws_lambda_function_url]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(d)"]
#     pci_dss: ["7.2.1", "8.3.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.8.5", "A.5.15"]
#   remediation: >-
#     Set authorization_type = "AWS_IAM" on the function URL and grant
#     lambda:InvokeFunctionUrl to the callers that need it, or put the function
#     behind API Gateway or CloudFront with authentication.
package checks.aws.lambda.url_without_auth

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "authorization_type") == "known"
	r.attributes.authorization_type != "AWS_IAM"
	msg := sprintf("Lambda function URL %q lets anyone invoke the function (authorization_type = %v)", [r.name, r.attributes.authorization_type])
}

findings contains result.indeterminate(metadata, r, msg, ["authorization_type"]) if {
	some r in resources
	state := result.attribute_state(r, "authorization_type")
	state != "known"
	msg := sprintf("Lambda function URL %q: authorization_type is %s", [r.name, result.state_text[state]])
}
