# METADATA
# title: Internet-facing load balancer or API stage without a WAF web ACL
# description: >-
#   An internet-facing application load balancer or REST API stage without an
#   associated WAFv2 web ACL passes injection, scraping and layer 7 flood
#   traffic straight to the application.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-WAF-001
#   severity: medium
#   resource_types: [aws_lb, aws_alb, aws_api_gateway_stage]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     pci_dss: ["6.4.1", "6.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.21"]
#   remediation: >-
#     Create an aws_wafv2_web_acl with scope REGIONAL (with the AWS managed core
#     and known-bad-inputs rule groups at least) and an
#     aws_wafv2_web_acl_association with resource_arn the load balancer's or the
#     stage's ARN. In a plan the association is folded into the resource it
#     names, as web_acl_arn.
package checks.aws.wafv2.internet_facing_association

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Internal and non-application load balancers are out of scope; a load
# balancer whose type or scheme is not known yet is kept.
resources := {r | some r in inventory.of(metadata); not _out_of_scope(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	path := _not_known(r)
	path == ""
	not _has_acl(r)
	msg := sprintf("%s %q is reachable from the internet with no WAF web ACL associated", [_kind[r.type], r.name])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	path := _not_known(r)
	path != ""
	msg := sprintf("%s %q: %s is %s", [_kind[r.type], r.name, path, result.state_text[result.attribute_state(r, path)]])
}

_kind := {
	"aws_lb": "Load balancer",
	"aws_alb": "Load balancer",
	"aws_api_gateway_stage": "API Gateway stage",
}

# The first deciding attribute not known, or "" when all are.
_not_known(r) := "internal" if {
	r.type != "aws_api_gateway_stage"
	result.attribute_state(r, "internal") != "known"
} else := "web_acl_arn" if {
	result.attribute_state(r, "web_acl_arn") != "known"
} else := ""

_out_of_scope(r) if object.get(r.attributes, "internal", null) == true

_out_of_scope(r) if not object.get(r.attributes, "load_balancer_type", null) in {null, "application"}

_has_acl(r) if {
	is_string(r.attributes.web_acl_arn)
	r.attributes.web_acl_arn != ""
}
