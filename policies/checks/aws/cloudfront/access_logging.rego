# METADATA
# title: CloudFront distribution without access logging
# description: >-
#   Without access logs there is no record of the requests the distribution
#   served, so abuse and data exfiltration through the edge cannot be traced.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CF-005
#   severity: medium
#   resource_types: [aws_cloudfront_distribution]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Add a logging_config block with bucket set to an S3 bucket (its
#     bucket_domain_name) that keeps ACLs enabled for log delivery.
package checks.aws.cloudfront.access_logging

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "logging_config") == "known"
	not _logging(r)
	msg := sprintf("CloudFront distribution %q does not log requests (no logging_config bucket)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["logging_config"]) if {
	some r in resources
	state := result.attribute_state(r, "logging_config")
	state != "known"
	msg := sprintf("CloudFront distribution %q: logging_config is %s", [r.name, result.state_text[state]])
}

_logging(r) if {
	bucket := object.get(_object(r.attributes.logging_config), "bucket", null)
	is_string(bucket)
	bucket != ""
}

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)
