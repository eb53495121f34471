# METADATA
# title: Multi-region CloudTrail trail excludes global service events
# description: >-
#   Global services (IAM, STS, CloudFront, Route 53) log to us-east-1 as
#   global service events; a multi-region trail that leaves them out records
#   no user, role, policy or access key change, nor who assumed which role.
#   The CloudTrail API refuses this combination, so it shows in Terraform
#   plans before apply fails, or in inventories from other sources.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CT-008
#   severity: medium
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1", "10.2.1.5"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Set include_global_service_events = true (the default) on the
#     multi-region trail.
package checks.aws.cloudtrail.global_service_events

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Single-region trails are left out; a trail whose region setting is not
# known yet is judged (and indeterminate if it would fail).
resources := {r | some r in inventory.of(metadata); not r.attributes.is_multi_region_trail == false}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "is_multi_region_trail") == "known"
	r.attributes.is_multi_region_trail == true
	result.attribute_state(r, "include_global_service_events") == "known"
	r.attributes.include_global_service_events == false
	msg := sprintf("CloudTrail trail %q records every region but not global service events (include_global_service_events = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["include_global_service_events"]) if {
	some r in resources
	state := result.attribute_state(r, "include_global_service_events")
	state != "known"
	msg := sprintf("CloudTrail trail %q: include_global_service_events is %s", [r.name, result.state_text[state]])
}

# Excluding global events matters only on a multi-region trail: judge the
# region setting when the exclusion is known.
findings contains result.indeterminate(metadata, r, msg, ["is_multi_region_trail"]) if {
	some r in resources
	result.attribute_state(r, "include_global_service_events") == "known"
	r.attributes.include_global_service_events == false
	state := result.attribute_state(r, "is_multi_region_trail")
	state != "known"
	msg := sprintf("CloudTrail trail %q excludes global service events and is_multi_region_trail is %s", [r.name, result.state_text[state]])
}
