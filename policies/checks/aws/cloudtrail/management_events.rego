# METADATA
# title: CloudTrail trail does not record all management events
# description: >-
#   Management events are the control-plane calls: IAM changes, security group
#   edits, key policy changes, console logins. A trail whose selectors leave
#   out management events, only their reads or writes, or some event sources
#   (KMS, RDS Data API) misses part of who changed what in the account.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CT-009
#   severity: medium
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1", "10.2.1.2"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Give the trail an event_selector with include_management_events = true,
#     read_write_type = "All" and no exclude_management_event_sources, or an
#     advanced_event_selector whose only field selector is eventCategory =
#     Management (no readOnly or eventSource condition); or drop the
#     selectors, which records every management event.
package checks.aws.cloudtrail.management_events

import data.lib.event_selectors
import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	judgement := event_selectors.management_judgement(r)
	judgement.outcome == "fail"
	msg := sprintf("CloudTrail trail %q does not record all management events: %s", [r.name, judgement.detail])
}

findings contains result.indeterminate(metadata, r, msg, judgement.paths) if {
	some r in resources
	judgement := event_selectors.management_judgement(r)
	judgement.outcome == "indeterminate"
	msg := sprintf("CloudTrail trail %q: %s", [r.name, judgement.detail])
}
