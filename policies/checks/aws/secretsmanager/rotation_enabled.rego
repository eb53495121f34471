# METADATA
# title: Secrets Manager secret without automatic rotation
# description: >-
#   A secret that is never rotated stays valid for as long as it leaks
#   unnoticed, in logs, old configuration or a former employee's notes;
#   automatic rotation bounds that exposure.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SEC-001
#   severity: medium
#   resource_types: [aws_secretsmanager_secret]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.6.3"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17"]
#   remediation: >-
#     Add an aws_secretsmanager_secret_rotation with a rotation Lambda (or use
#     managed rotation, e.g. manage_master_user_password on RDS) and
#     rotation_rules within credential_max_age_days.
package checks.aws.secretsmanager.rotation_enabled

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "rotation_enabled") == "known"
	r.attributes.rotation_enabled == false
	msg := sprintf("%s %q is never rotated automatically (rotation_enabled = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["rotation_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "rotation_enabled")
	state != "known"
	msg := sprintf("%s %q: rotation_enabled is %s", [r.type, r.name, result.state_text[state]])
}
