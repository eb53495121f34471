# METADATA
# title: CloudTrail trail not delivered to CloudWatch Logs
# description: >-
#   A trail that writes only to S3 can be searched after the fact but watched
#   by nothing: without a CloudWatch Logs group no metric filter or alarm can
#   react to root use, denied calls or changes to the trail itself as they
#   happen.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CT-005
#   severity: medium
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     pci_dss: ["10.4.1.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Create an aws_cloudwatch_log_group for the trail and an IAM role that
#     lets cloudtrail.amazonaws.com write to it, then set
#     cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
#     and cloud_watch_logs_role_arn on the trail.
package checks.aws.cloudtrail.cloudwatch_logs

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Terraform state records an unset group as "" rather than null.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "cloud_watch_logs_group_arn") == "known"
	not _has_group(r)
	msg := sprintf("CloudTrail trail %q delivers no logs to CloudWatch Logs (cloud_watch_logs_group_arn not set)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["cloud_watch_logs_group_arn"]) if {
	some r in resources
	state := result.attribute_state(r, "cloud_watch_logs_group_arn")
	state != "known"
	msg := sprintf("CloudTrail trail %q: cloud_watch_logs_group_arn is %s", [r.name, result.state_text[state]])
}

_has_group(r) if {
	is_string(r.attributes.cloud_watch_logs_group_arn)
	r.attributes.cloud_watch_logs_group_arn != ""
}
