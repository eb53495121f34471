# METADATA
# title: IAM user with console access but no MFA
# description: >-
#   A user who can sign in to the console with a password alone is one phished
#   or reused password away from an attacker acting with all the user's
#   permissions.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-003
#   severity: high
#   resource_types: [aws_iam_user]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(d)"]
#     pci_dss: ["8.4.1", "8.4.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.5.17"]
#   remediation: >-
#     Register an MFA device for the user and deny actions without
#     aws:MultiFactorAuthPresent, or move console users to IAM Identity Center
#     with MFA enforced; remove the login profile of users who need no console.
package checks.aws.iam.console_user_mfa

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "password_enabled") == "known"
	r.attributes.password_enabled == true
	result.attribute_state(r, "mfa_enabled") == "known"
	r.attributes.mfa_enabled == false
	msg := sprintf("IAM user %q can sign in to the console with a password but has no MFA device", [r.name])
}

# Without a console password MFA does not decide anything; with one, it does.
findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	[path, state] := _undecided(r)
	msg := sprintf("IAM user %q: %s is %s", [r.name, path, result.state_text[state]])
}

_undecided(r) := ["password_enabled", state] if {
	state := result.attribute_state(r, "password_enabled")
	state != "known"
} else := ["mfa_enabled", state] if {
	r.attributes.password_enabled == true
	state := result.attribute_state(r, "mfa_enabled")
	state != "known"
}
