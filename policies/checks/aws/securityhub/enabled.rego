# METADATA
# title: Security Hub not enabled
# description: >-
#   Without Security Hub in an account and region, findings from GuardDuty,
#   Inspector, Macie and Config rules are not gathered or checked against a
#   security standard, so no one sees the region's posture in one place.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SH-001
#   severity: medium
#   resource_types: [aws_securityhub_account]
#   controls:
#     gdpr: ["Art.32(1)(d)", "Art.33(1)"]
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"]
#     pci_dss: ["10.4.1", "11.5.1"]
#     soc2: ["CC7.2", "CC7.3"]
#     iso27001: ["A.8.16", "A.5.25"]
#   remediation: >-
#     Enable Security Hub (aws_securityhub_account) in every account and
#     region in use, with the AWS Foundational Security Best Practices
#     standard, and aggregate findings to the security account.
package checks.aws.securityhub.enabled

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enabled") == "known"
	r.attributes.enabled == false
	msg := sprintf("Security Hub is not enabled in %s (enabled = false)", [_where(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "enabled")
	state != "known"
	msg := sprintf("Security Hub in %s: enabled is %s", [_where(r), result.state_text[state]])
}

# The account and region the setting applies to, as far as they are recorded.
_where(r) := sprintf("account %s, region %s", [_text(object.get(r, "account", null)), _text(object.get(r, "region", null))])

_text(value) := value if is_string(value)

_text(value) := "unknown" if not is_string(value)
