# METADATA
# title: IAM Access Analyzer not active
# description: >-
#   Without an active IAM Access Analyzer for external access in an account
#   and region, buckets, keys, roles and queues shared with other accounts
#   or the public are not reported as they appear.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-AA-001
#   severity: medium
#   resource_types: [aws_accessanalyzer_analyzer]
#   controls:
#     gdpr: ["Art.32(1)(d)", "Art.33(1)"]
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"]
#     pci_dss: ["10.4.1", "11.5.1"]
#     soc2: ["CC7.2", "CC7.3"]
#     iso27001: ["A.8.16", "A.5.25"]
#   remediation: >-
#     Create an aws_accessanalyzer_analyzer of type ACCOUNT (or ORGANIZATION
#     from the delegated administrator) in every region in use, and review
#     its active findings.
package checks.aws.accessanalyzer.enabled

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enabled") == "known"
	r.attributes.enabled == false
	msg := sprintf("IAM Access Analyzer has no active external-access analyzer in %s (enabled = false)", [_where(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "enabled")
	state != "known"
	msg := sprintf("IAM Access Analyzer in %s: enabled is %s", [_where(r), result.state_text[state]])
}

# The account and region the setting applies to, as far as they are recorded.
_where(r) := sprintf("account %s, region %s", [_text(object.get(r, "account", null)), _text(object.get(r, "region", null))])

_text(value) := value if is_string(value)

_text(value) := "unknown" if not is_string(value)
