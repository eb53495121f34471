# METADATA
# title: Security Hub enabled without any security standard
# description: >-
#   Security Hub with no standard subscribed runs no controls of its own: it
#   only collects other services' findings, and no configuration check (CIS,
#   AWS Foundational Security Best Practices, PCI DSS) is ever evaluated
#   against the account.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SH-002
#   severity: medium
#   resource_types: [aws_securityhub_account]
#   controls:
#     gdpr: ["Art.32(1)(d)"]
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(8)"]
#     pci_dss: ["10.4.1", "11.5.1"]
#     soc2: ["CC4.1", "CC7.1"]
#     iso27001: ["A.5.36", "A.8.16"]
#   remediation: >-
#     Subscribe to at least the AWS Foundational Security Best Practices and
#     CIS AWS Foundations standards (aws_securityhub_standards_subscription),
#     or keep enable_default_standards = true on aws_securityhub_account.
package checks.aws.securityhub.standards_subscribed

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# An account where Security Hub is known to be off is AWS-SH-001's finding.
resources := {r | some r in inventory.of(metadata); object.get(r.attributes, "enabled", null) != false}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	not _default_standards(r)
	result.attribute_state(r, "standards") == "known"
	r.attributes.standards == []
	msg := sprintf("Security Hub in %s has no security standard enabled (standards = [])", [_where(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["standards"]) if {
	some r in resources
	not _default_standards(r)
	state := result.attribute_state(r, "standards")
	state != "known"
	msg := sprintf("Security Hub in %s: standards is %s", [_where(r), result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["standards"]) if {
	some r in resources
	not _default_standards(r)
	result.attribute_state(r, "standards") == "known"
	not is_array(r.attributes.standards)
	msg := sprintf("Security Hub in %s: standards is not a list of standard ARNs", [_where(r)])
}

# Terraform's enable_default_standards (true unless set false) subscribes the
# default standards when Security Hub is turned on.
_default_standards(r) if {
	result.attribute_state(r, "enable_default_standards") == "known"
	r.attributes.enable_default_standards == true
}

_where(r) := sprintf("account %s, region %s", [_text(object.get(r, "account", null)), _text(object.get(r, "region", null))])

_text(value) := value if is_string(value)

_text(value) := "unknown" if not is_string(value)
