package opa_comply.remediation.approval_test

import data.opa_comply.remediation.approval

base := {
	"check_id": "AWS-S3-004", "severity": "medium", "risk": 10, "environment": "dev",
	"data_classes": [], "impact": "resource", "blast_radius": [], "platform": "aws",
	"resource_type": "aws_s3_bucket", "resource": "arn:aws:s3:::b", "tags": {},
}

decide(changes) := d if {
	d := approval.decision with input as {"proposal": object.union(base, changes)}
}

test_unclassified_non_production_resource_change_is_automatic if {
	decide({}).action == "auto"
}

test_production_needs_one_approver if {
	decide({"environment": "Production"}) == {"action": "approve", "approvals": 1, "reason": "production (or untagged) environment"}
}

test_high_severity_needs_one_approver if {
	decide({"severity": "high"}) == {"action": "approve", "approvals": 1, "reason": "high severity"}
}

test_classified_outside_production_needs_one if {
	decide({"data_classes": ["pii"]}).approvals == 1
}

test_account_wide_outside_production_needs_one if {
	decide({"impact": "account"}) == {"action": "approve", "approvals": 1, "reason": "account-wide impact"}
}

test_production_classified_needs_two if {
	decide({"environment": "prod", "data_classes": ["phi"]}) == {
		"action": "approve", "approvals": 2,
		"reason": "production change on classified data",
	}
}

test_production_account_wide_needs_two if {
	decide({"environment": "production", "impact": "account"}).approvals == 2
}

test_manual_tag_denies if {
	d := decide({"tags": {"opa-comply:remediation": "manual"}})
	d.action == "deny"
	d.reason == "resource tagged opa-comply:remediation=manual"
}

test_auto_tag_does_not_deny if {
	decide({"tags": {"opa-comply:remediation": "auto"}}).action == "auto"
}

test_wide_blast_radius_denies if {
	d := decide({"blast_radius": [x | some x in numbers.range(1, 21)]})
	d == {"action": "deny", "approvals": 0, "reason": "blast radius of 21 items is above 20"}
}

test_twenty_blast_radius_items_are_allowed if {
	decide({"blast_radius": [x | some x in numbers.range(1, 20)]}).action == "auto"
}

test_deny_wins_over_approvals if {
	decide({"environment": "production", "tags": {"opa-comply:remediation": "never"}}).action == "deny"
}

test_an_untagged_or_unknown_environment_counts_as_production if {
	decide({"environment": ""}).approvals == 1
	decide({"environment": "prod-eu"}).approvals == 1
	decide({"environment": "Staging"}).action == "auto"
}
