# METADATA
# title: The root user was used in the period
# description: >-
#   The root user cannot be limited by IAM policies. Any call it made during the
#   reporting period, other than those few tasks only root can do, shows that
#   daily work bypasses least privilege and per-person accountability.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CTA-004
#   severity: high
#   resource_types: [aws_cloudtrail_summary]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(b)"]
#     pci_dss: ["10.2.1.2", "7.2.1"]
#     soc2: ["CC6.1", "CC7.2"]
#     iso27001: ["A.8.2", "A.8.15"]
#   remediation: >-
#     Confirm each listed root call was one of the tasks that need root, and who
#     made it; otherwise use IAM roles for the work, remove root access keys, and
#     lock the root credentials away behind MFA.
package checks.aws.cloudtrail_audit.root_activity

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "root_activity.total") == "known"
	is_number(r.attributes.root_activity.total)
	r.attributes.root_activity.total > 0
	msg := sprintf("CloudTrail at %q: the root user made %d calls in the period", [r.name, r.attributes.root_activity.total])
}

findings contains result.indeterminate(metadata, r, msg, ["root_activity.total"]) if {
	some r in resources
	not _decidable(r)
	msg := sprintf("CloudTrail at %q: root_activity.total is missing or not a number", [r.name])
}

_decidable(r) if {
	result.attribute_state(r, "root_activity.total") == "known"
	is_number(r.attributes.root_activity.total)
}
