# METADATA
# title: API Gateway REST method without authorization
# description: >-
#   A method with authorization NONE can be called by anyone who can reach the
#   API, with no IAM signature, authorizer or user pool token to identify the
#   caller.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-APIGW-002
#   severity: medium
#   resource_types: [aws_api_gateway_method]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(d)"]
#     pci_dss: ["7.2.1", "8.3.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.5.15"]
#   remediation: >-
#     Set authorization to AWS_IAM, CUSTOM (with authorizer_id) or
#     COGNITO_USER_POOLS on the method; an API key alone identifies a client
#     for throttling, not a caller. CORS preflight (OPTIONS) methods are not
#     judged.
package checks.aws.apigateway.method_authorization

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# CORS preflight requests carry no credentials, so OPTIONS cannot require them.
resources := {r | some r in inventory.of(metadata); object.get(r.attributes, "http_method", null) != "OPTIONS"}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "authorization") == "known"
	r.attributes.authorization == "NONE"
	msg := sprintf("API Gateway method %q (%v) lets any caller in (authorization = NONE)", [r.name, object.get(r.attributes, "http_method", "?")])
}

findings contains result.indeterminate(metadata, r, msg, ["authorization"]) if {
	some r in resources
	state := result.attribute_state(r, "authorization")
	state != "known"
	msg := sprintf("API Gateway method %q: authorization is %s", [r.name, result.state_text[state]])
}
