# METADATA
# title: Production RDS instance not Multi-AZ
# description: >-
#   A single-AZ production database is down for the whole of an availability
#   zone outage or a host failure; Multi-AZ keeps a synchronous standby that
#   takes over automatically.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-008
#   severity: medium
#   resource_types: [aws_db_instance]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(7)(ii)(C)"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.14"]
#   remediation: >-
#     Set multi_az = true for production instances (or run them as an Aurora or
#     Multi-AZ DB cluster with instances in several availability zones).
package checks.aws.rds.multi_az_production

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only instances tagged as production are in scope.
resources := {r | some r in inventory.of(metadata); tags.production(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "multi_az") == "known"
	r.attributes.multi_az == false
	msg := sprintf("production %s %q runs in a single availability zone (multi_az = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["multi_az"]) if {
	some r in resources
	state := result.attribute_state(r, "multi_az")
	state != "known"
	msg := sprintf("%s %q: multi_az is %s", [r.type, r.name, result.state_text[state]])
}
