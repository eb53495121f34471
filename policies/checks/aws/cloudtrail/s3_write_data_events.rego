# METADATA
# title: CloudTrail trail does not record S3 object-level write data events for every bucket
# description: >-
#   Without S3 object-level write data events nothing records who put, overwrote or deleted which object, so tampering with or destroying stored data cannot be traced to a principal.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CT-006
#   severity: medium
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1", "10.2.1.7"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Add an event_selector with read_write_type = "All" (or "WriteOnly") and a
#     data_resource of type "AWS::S3::Object" with values = ["arn:aws:s3"],
#     or an advanced_event_selector with eventCategory = Data and
#     resources.type = AWS::S3::Object (readOnly = false, or no readOnly field). Scope it to fewer buckets only
#     where another trail records the rest.
package checks.aws.cloudtrail.s3_write_data_events

import data.lib.event_selectors
import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	judgement := event_selectors.s3_judgement(r, "write")
	judgement.outcome == "fail"
	msg := sprintf("CloudTrail trail %q %s", [r.name, judgement.detail])
}

findings contains result.indeterminate(metadata, r, msg, judgement.paths) if {
	some r in resources
	judgement := event_selectors.s3_judgement(r, "write")
	judgement.outcome == "indeterminate"
	msg := sprintf("CloudTrail trail %q: %s", [r.name, judgement.detail])
}
