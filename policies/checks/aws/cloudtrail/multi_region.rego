# METADATA
# title: CloudTrail trail not multi-region
# description: >-
#   A single-region trail records nothing about API activity in the other
#   regions, where an attacker can create resources or move data unseen.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CT-001
#   severity: medium
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Set is_multi_region_trail = true (and include_global_service_events =
#     true), or use an organization trail covering every region.
package checks.aws.cloudtrail.multi_region

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "is_multi_region_trail") == "known"
	r.attributes.is_multi_region_trail == false
	msg := sprintf("CloudTrail trail %q records its home region only (is_multi_region_trail = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["is_multi_region_trail"]) if {
	some r in resources
	state := result.attribute_state(r, "is_multi_region_trail")
	state != "known"
	msg := sprintf("CloudTrail trail %q: is_multi_region_trail is %s", [r.name, result.state_text[state]])
}
