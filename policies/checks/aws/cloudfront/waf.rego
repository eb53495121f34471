# METADATA
# title: CloudFront distribution without a WAF web ACL
# description: >-
#   A distribution without a web ACL passes injection, scraping and layer 7
#   flood traffic straight to its origins.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CF-006
#   severity: medium
#   resource_types: [aws_cloudfront_distribution]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     pci_dss: ["6.4.1", "6.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.21"]
#   remediation: >-
#     Create an aws_wafv2_web_acl with scope CLOUDFRONT (in us-east-1), with the
#     AWS managed core and known-bad-inputs rule groups at least, and set its
#     ARN as web_acl_id on the distribution.
package checks.aws.cloudfront.waf

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "web_acl_id") == "known"
	not _has_acl(r)
	msg := sprintf("CloudFront distribution %q has no WAF web ACL (web_acl_id not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["web_acl_id"]) if {
	some r in resources
	state := result.attribute_state(r, "web_acl_id")
	state != "known"
	msg := sprintf("CloudFront distribution %q: web_acl_id is %s", [r.name, result.state_text[state]])
}

_has_acl(r) if {
	is_string(r.attributes.web_acl_id)
	r.attributes.web_acl_id != ""
}
