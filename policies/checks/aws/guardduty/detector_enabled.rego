# METADATA
# title: GuardDuty detector suspended
# description: >-
#   A suspended GuardDuty detector stops analysing CloudTrail, VPC flow and
#   DNS logs for the account and region, so compromised credentials,
#   crypto-mining and data exfiltration go unnoticed.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-GD-001
#   severity: high
#   resource_types: [aws_guardduty_detector]
#   controls:
#     gdpr: ["Art.32(1)(d)", "Art.33(1)"]
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"]
#     pci_dss: ["10.4.1", "11.5.1"]
#     soc2: ["CC7.2", "CC7.3"]
#     iso27001: ["A.8.16", "A.5.25"]
#   remediation: >-
#     Set enable = true on aws_guardduty_detector in every account and
#     region in use (with an organization delegated administrator enabling
#     new accounts automatically), and route findings to the team that
#     answers them.
package checks.aws.guardduty.detector_enabled

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enable") == "known"
	r.attributes.enable == false
	msg := sprintf("GuardDuty is suspended in %s (enable = false)", [_where(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["enable"]) if {
	some r in resources
	state := result.attribute_state(r, "enable")
	state != "known"
	msg := sprintf("GuardDuty in %s: enable is %s", [_where(r), result.state_text[state]])
}

# The account and region the setting applies to, as far as they are recorded.
_where(r) := sprintf("account %s, region %s", [_text(object.get(r, "account", null)), _text(object.get(r, "region", null))])

_text(value) := value if is_string(value)

_text(value) := "unknown" if not is_string(value)
