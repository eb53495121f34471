# METADATA
# title: No alarm on network gateway changes
# description: >-
#   Attaching an internet gateway or adding a customer gateway creates a new
#   way into or out of the network; an alarm on these calls shows unplanned
#   paths as they appear.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CW-115
#   severity: low
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(b)", "Art.33(1)"]
#     hipaa: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     pci_dss: ["10.2.1.7", "10.4.1.1"]
#     soc2: ["CC7.1", "CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Send the trail to CloudWatch Logs, add an
#     aws_cloudwatch_log_metric_filter on its log group with the pattern {
#     ($.eventName = CreateCustomerGateway) || ($.eventName =
#     DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) ||
#     ($.eventName = CreateInternetGateway) || ($.eventName =
#     DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }
#     (further events may be ORed in), and an aws_cloudwatch_metric_alarm on
#     its metric (Sum >= 1) whose alarm_actions name an SNS topic someone is
#     subscribed to.
package checks.aws.cloudwatch.network_gateway_changes_alarm

import data.lib.inventory
import data.lib.metric_filters
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Multi-region trails, and trails whose region setting is not known yet.
resources := {r | some r in inventory.of(metadata); not r.attributes.is_multi_region_trail == false}

# CIS AWS Foundations 3.0, 4.12: the comparisons a metric filter on the
# trail's log group must hold (lib.metric_filters says how they are matched).
_required := [
	"$.eventName = CreateCustomerGateway",
	"$.eventName = DeleteCustomerGateway",
	"$.eventName = AttachInternetGateway",
	"$.eventName = CreateInternetGateway",
	"$.eventName = DeleteInternetGateway",
	"$.eventName = DetachInternetGateway",
]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	judgement := metric_filters.judgement(r, _required)
	judgement.outcome == "fail"
	msg := sprintf("CloudTrail trail %q has no alarm on internet and customer gateway changes (CIS 4.12): %s", [r.name, judgement.detail])
}

findings contains result.indeterminate(metadata, r, msg, judgement.paths) if {
	some r in resources
	judgement := metric_filters.judgement(r, _required)
	judgement.outcome == "indeterminate"
	msg := sprintf("CloudTrail trail %q: %s", [r.name, judgement.detail])
}
