# METADATA
# title: No alarm on IAM policy changes
# description: >-
#   Creating, attaching or editing an IAM policy changes who may do what; an
#   alarm on these calls shows a privilege escalation or a persistence
#   foothold as it is set up.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CW-107
#   severity: medium
#   resource_types: [aws_cloudtrail]
#   controls:
#     gdpr: ["Art.32(1)(b)", "Art.33(1)"]
#     hipaa: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     pci_dss: ["10.2.1.2", "10.4.1.1"]
#     soc2: ["CC7.1", "CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Send the trail to CloudWatch Logs, add an
#     aws_cloudwatch_log_metric_filter on its log group with a pattern that
#     ORs $.eventName = <name> for each of DeleteGroupPolicy,
#     DeleteRolePolicy, DeleteUserPolicy, PutGroupPolicy, PutRolePolicy,
#     PutUserPolicy, CreatePolicy, DeletePolicy, CreatePolicyVersion,
#     DeletePolicyVersion, AttachRolePolicy, DetachRolePolicy,
#     AttachUserPolicy, DetachUserPolicy, AttachGroupPolicy, DetachGroupPolicy
#     (further events may be ORed in), and an aws_cloudwatch_metric_alarm on
#     its metric (Sum >= 1) whose alarm_actions name an SNS topic someone is
#     subscribed to.
package checks.aws.cloudwatch.iam_policy_changes_alarm

import data.lib.inventory
import data.lib.metric_filters
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Multi-region trails, and trails whose region setting is not known yet.
resources := {r | some r in inventory.of(metadata); not r.attributes.is_multi_region_trail == false}

# CIS AWS Foundations 3.0, 4.4: the comparisons a metric filter on the
# trail's log group must hold (lib.metric_filters says how they are matched).
_required := [
	"$.eventName = DeleteGroupPolicy",
	"$.eventName = DeleteRolePolicy",
	"$.eventName = DeleteUserPolicy",
	"$.eventName = PutGroupPolicy",
	"$.eventName = PutRolePolicy",
	"$.eventName = PutUserPolicy",
	"$.eventName = CreatePolicy",
	"$.eventName = DeletePolicy",
	"$.eventName = CreatePolicyVersion",
	"$.eventName = DeletePolicyVersion",
	"$.eventName = AttachRolePolicy",
	"$.eventName = DetachRolePolicy",
	"$.eventName = AttachUserPolicy",
	"$.eventName = DetachUserPolicy",
	"$.eventName = AttachGroupPolicy",
	"$.eventName = DetachGroupPolicy",
]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	judgement := metric_filters.judgement(r, _required)
	judgement.outcome == "fail"
	msg := sprintf("CloudTrail trail %q has no alarm on IAM policy changes (CIS 4.4): %s", [r.name, judgement.detail])
}

findings contains result.indeterminate(metadata, r, msg, judgement.paths) if {
	some r in resources
	judgement := metric_filters.judgement(r, _required)
	judgement.outcome == "indeterminate"
	msg := sprintf("CloudTrail trail %q: %s", [r.name, judgement.detail])
}
