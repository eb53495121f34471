# METADATA
# title: Production Neptune cluster without deletion protection
# description: >-
#   Without deletion protection one API call or a mistaken Terraform destroy
#   deletes a production graph, and with it its automated backups.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NEP-006
#   severity: medium
#   resource_types: [aws_neptune_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     pci_dss: ["6.5.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13", "A.5.33"]
#   remediation: >-
#     Set deletion_protection = true on production clusters; turn it off
#     deliberately, in a reviewed change, only when a cluster is to be retired.
package checks.aws.neptune.deletion_protection_production

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only clusters tagged as production are in scope.
resources := {r | some r in inventory.of(metadata); tags.production(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "deletion_protection") == "known"
	r.attributes.deletion_protection == false
	msg := sprintf("production %s %q can be deleted without a safeguard (deletion_protection = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["deletion_protection"]) if {
	some r in resources
	state := result.attribute_state(r, "deletion_protection")
	state != "known"
	msg := sprintf("%s %q: deletion_protection is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["deletion_protection"]) if {
	some r in resources
	result.attribute_state(r, "deletion_protection") == "known"
	not is_boolean(r.attributes.deletion_protection)
	msg := sprintf("%s %q: deletion_protection is not recorded (%v)", [r.type, r.name, r.attributes.deletion_protection])
}
