# METADATA
# title: ACM certificate opted out of certificate transparency logging
# description: >-
#   Without certificate transparency logging, browsers reject the certificate
#   and a certificate mis-issued for your domain is harder to spot in the
#   public logs you monitor.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ACM-003
#   severity: low
#   resource_types: [aws_acm_certificate]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["4.2.1.1"]
#     soc2: ["CC7.1"]
#     iso27001: ["A.8.24", "A.8.16"]
#   remediation: >-
#     Remove options certificate_transparency_logging_preference = "DISABLED"
#     (or set it to "ENABLED").
package checks.aws.acm.transparency_logging

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "options") == "known"
	object.get(_object(r.attributes.options), "certificate_transparency_logging_preference", null) == "DISABLED"
	msg := sprintf("ACM certificate %q is not logged to certificate transparency logs (DISABLED)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["options"]) if {
	some r in resources
	state := result.attribute_state(r, "options")
	state != "known"
	msg := sprintf("ACM certificate %q: options is %s", [r.name, result.state_text[state]])
}

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)
