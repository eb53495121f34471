# METADATA
# title: API Gateway HTTP or WebSocket route without authorization
# description: >-
#   A route with authorization type NONE can be called by anyone who can reach
#   the API, with no IAM signature, JWT or authorizer to identify the caller.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-APIGW-003
#   severity: medium
#   resource_types: [aws_apigatewayv2_route]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(d)"]
#     pci_dss: ["7.2.1", "8.3.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.5.15"]
#   remediation: >-
#     Set authorization_type to AWS_IAM, JWT or CUSTOM (with authorizer_id) on
#     the route. Judged are HTTP routes ("GET /items", "ANY /{proxy+}") but
#     OPTIONS, and the WebSocket $connect route (the only WebSocket route that
#     takes an authorizer).
package checks.aws.apigateway.route_authorization

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); not _unjudged(object.get(r.attributes, "route_key", null))}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "route_key") == "known"
	result.attribute_state(r, "authorization_type") == "known"
	r.attributes.authorization_type == "NONE"
	msg := sprintf("API Gateway route %q (%s) lets any caller in (authorization_type = NONE)", [r.name, r.attributes.route_key])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	path := _first_not_known(r)
	msg := sprintf("API Gateway route %q: %s is %s", [r.name, path, result.state_text[result.attribute_state(r, path)]])
}

_first_not_known(r) := "route_key" if {
	result.attribute_state(r, "route_key") != "known"
} else := "authorization_type" if {
	result.attribute_state(r, "authorization_type") != "known"
}

# Routes left out: CORS preflight (OPTIONS), WebSocket routes other than
# $connect (they cannot take an authorizer), and $default, which names a
# WebSocket route as well as the HTTP catch-all and cannot be told apart here.
_unjudged(key) if {
	is_string(key)
	not regex.match(`^(GET|POST|PUT|PATCH|DELETE|HEAD|ANY) `, key)
	key != "$connect"
}
