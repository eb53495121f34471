# METADATA
# title: RDS deletion protection disabled
# description: >-
#   Without deletion protection one API call or a mistaken Terraform destroy
#   deletes the database, and with it its automated backups.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-005
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13", "A.5.33"]
#   remediation: >-
#     Set deletion_protection = true; turn it off deliberately, in a reviewed
#     change, only when the database is really to be retired.
package checks.aws.rds.deletion_protection

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "deletion_protection") == "known"
	r.attributes.deletion_protection == false
	msg := sprintf("%s %q can be deleted without a safeguard (deletion_protection = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["deletion_protection"]) if {
	some r in resources
	state := result.attribute_state(r, "deletion_protection")
	state != "known"
	msg := sprintf("%s %q: deletion_protection is %s", [r.type, r.name, result.state_text[state]])
}
