# METADATA
# title: CloudFront distribution accepts viewer TLS below 1.2
# description: >-
#   A distribution on the default *.cloudfront.net certificate, or with a
#   security policy older than TLSv1.2_2021, lets viewers negotiate TLS 1.0 or
#   1.1 or weak ciphers.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CF-002
#   severity: medium
#   resource_types: [aws_cloudfront_distribution]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1", "12.3.3"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.8.21"]
#   remediation: >-
#     Serve the distribution with an ACM certificate (viewer_certificate
#     acm_certificate_arn, ssl_support_method = "sni-only") and
#     minimum_protocol_version = "TLSv1.2_2021" or newer; the accepted versions
#     are the parameter cloudfront_minimum_protocol_versions.
package checks.aws.cloudfront.minimum_tls

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "viewer_certificate") == "known"
	_default_certificate(r)
	msg := sprintf("CloudFront distribution %q uses the default CloudFront certificate, which accepts TLS 1.0", [r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "viewer_certificate") == "known"
	not _default_certificate(r)
	version := object.get(_object(r.attributes.viewer_certificate), "minimum_protocol_version", null)
	not version in params.value("cloudfront_minimum_protocol_versions")
	msg := sprintf("CloudFront distribution %q accepts viewer TLS policy %v, older than the accepted versions", [r.name, version])
}

findings contains result.indeterminate(metadata, r, msg, ["viewer_certificate"]) if {
	some r in resources
	state := result.attribute_state(r, "viewer_certificate")
	state != "known"
	msg := sprintf("CloudFront distribution %q: viewer_certificate is %s", [r.name, result.state_text[state]])
}

_default_certificate(r) if object.get(_object(r.attributes.viewer_certificate), "cloudfront_default_certificate", false) == true

_default_certificate(r) if not is_object(r.attributes.viewer_certificate)

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)
