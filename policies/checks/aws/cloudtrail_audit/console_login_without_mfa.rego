# METADATA
# title: Console sign-ins without MFA in the period
# description: >-
#   A successful console sign-in of the root user or an IAM user without a second
#   factor means a stolen password alone was, or would have been, enough to reach
#   the account.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CTA-005
#   severity: high
#   resource_types: [aws_cloudtrail_summary]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(d)"]
#     pci_dss: ["8.4.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5"]
#   remediation: >-
#     Require MFA for every console user (an IAM policy denying actions without
#     aws:MultiFactorAuthPresent, or sign-in through an identity provider that
#     enforces it), and enable MFA for the listed users and the root user.
package checks.aws.cloudtrail_audit.console_login_without_mfa

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_path := "console_logins_without_mfa.total"

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_decidable(r)
	r.attributes.console_logins_without_mfa.total > 0
	msg := sprintf("CloudTrail at %q: %d console sign-ins without MFA in the period", [r.name, r.attributes.console_logins_without_mfa.total])
}

findings contains result.indeterminate(metadata, r, msg, [_path]) if {
	some r in resources
	not _decidable(r)
	msg := sprintf("CloudTrail at %q: %s is missing or not a number", [r.name, _path])
}

_decidable(r) if {
	result.attribute_state(r, _path) == "known"
	is_number(r.attributes.console_logins_without_mfa.total)
}
