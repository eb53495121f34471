# METADATA
# title: API Gateway custom domain accepts TLS below 1.2
# description: >-
#   A custom domain with security policy TLS_1_0 lets clients negotiate TLS 1.0
#   and 1.1, deprecated protocols with known weaknesses.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-APIGW-004
#   severity: medium
#   resource_types: [aws_api_gateway_domain_name, aws_apigatewayv2_domain_name]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1", "12.3.3"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.8.21"]
#   remediation: >-
#     Set security_policy = "TLS_1_2" (aws_api_gateway_domain_name) or
#     domain_name_configuration security_policy = "TLS_1_2"
#     (aws_apigatewayv2_domain_name); the accepted policies are the parameter
#     apigateway_accepted_security_policies.
package checks.aws.apigateway.domain_tls

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	path := _path(r)
	result.attribute_state(r, path) == "known"
	policy := object.get(r.attributes, split(path, "."), null)
	not policy in params.value("apigateway_accepted_security_policies")
	msg := sprintf("API Gateway domain %q accepts TLS below 1.2 (security_policy = %v)", [r.name, policy])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	path := _path(r)
	state := result.attribute_state(r, path)
	state != "known"
	msg := sprintf("API Gateway domain %q: %s is %s", [r.name, path, result.state_text[state]])
}

_path(r) := "domain_name_configuration.security_policy" if {
	r.type == "aws_apigatewayv2_domain_name"
} else := "security_policy"
