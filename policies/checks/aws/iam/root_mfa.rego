# METADATA
# title: Root user without MFA
# description: >-
#   The root user has unrestricted access to the account, including billing,
#   closing it and every resource's data; protected by a password alone, a
#   phished or reused password gives an attacker all of it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-001
#   severity: critical
#   resource_types: [aws_iam_account]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(d)"]
#     pci_dss: ["8.4.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.8.2"]
#   remediation: >-
#     Sign in as root and register an MFA device (preferably a hardware key);
#     keep the device in a safe with documented break-glass access.
package checks.aws.iam.root_mfa

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "root_mfa_enabled") == "known"
	r.attributes.root_mfa_enabled == false
	msg := sprintf("AWS account %q root user has no MFA (root_mfa_enabled = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["root_mfa_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "root_mfa_enabled")
	state != "known"
	msg := sprintf("AWS account %q: root_mfa_enabled is %s", [r.name, result.state_text[state]])
}
