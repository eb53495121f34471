# METADATA
# title: EBS encryption by default turned off
# description: >-
#   With EBS encryption by default off in an account and region, every new
#   volume and snapshot copy whose creator forgets to ask for encryption is
#   stored unencrypted.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EBS-002
#   severity: medium
#   resource_types: [aws_ebs_encryption_by_default]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24", "A.8.9"]
#   remediation: >-
#     Set enabled = true on aws_ebs_encryption_by_default in every account and
#     region in use, and pick a customer-managed default key with
#     aws_ebs_default_kms_key.
package checks.aws.ebs.encryption_by_default

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enabled") == "known"
	r.attributes.enabled == false
	msg := sprintf("EBS encryption by default is off in %s (enabled = false)", [_where(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "enabled")
	state != "known"
	msg := sprintf("EBS encryption by default in %s: enabled is %s", [_where(r), result.state_text[state]])
}

# The account and region the setting applies to, as far as they are recorded.
_where(r) := sprintf("account %s, region %s", [_text(object.get(r, "account", null)), _text(object.get(r, "region", null))])

_text(value) := value if is_string(value)

_text(value) := "unknown" if not is_string(value)
