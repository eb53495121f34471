# METADATA
# title: Application load balancer passes invalid HTTP header fields
# description: >-
#   An ALB that forwards header fields with invalid names lets malformed
#   requests reach the targets, a path for request smuggling and header
#   injection.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ELB-003
#   severity: medium
#   resource_types: [aws_lb, aws_alb]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     pci_dss: ["6.2.4", "2.2.6"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.9"]
#   remediation: >-
#     Set drop_invalid_header_fields = true on the application load balancer.
package checks.aws.elb.drop_invalid_headers

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Application load balancers only (the provider's default type).
resources := {r | some r in inventory.of(metadata); object.get(r.attributes, "load_balancer_type", null) in {null, "application"}}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "drop_invalid_header_fields") == "known"
	r.attributes.drop_invalid_header_fields != true
	msg := sprintf("Application load balancer %q forwards invalid HTTP header fields (drop_invalid_header_fields not true)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["drop_invalid_header_fields"]) if {
	some r in resources
	state := result.attribute_state(r, "drop_invalid_header_fields")
	state != "known"
	msg := sprintf("Application load balancer %q: drop_invalid_header_fields is %s", [r.name, result.state_text[state]])
}
