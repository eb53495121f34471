# METADATA
# title: RDS tags not copied to snapshots
# description: >-
#   Snapshots hold the same data as the database; without copy_tags_to_snapshot
#   they lose its classification and ownership tags, so they escape the checks
#   and handling rules that the classification drives.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-013
#   severity: low
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     soc2: ["C1.1"]
#     iso27001: ["A.5.12", "A.5.13"]
#   remediation: >-
#     Set copy_tags_to_snapshot = true, and tag existing snapshots with the
#     database's classification tags.
package checks.aws.rds.copy_tags_to_snapshot

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "copy_tags_to_snapshot") == "known"
	r.attributes.copy_tags_to_snapshot == false
	msg := sprintf("%s %q creates snapshots without its tags (copy_tags_to_snapshot = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["copy_tags_to_snapshot"]) if {
	some r in resources
	state := result.attribute_state(r, "copy_tags_to_snapshot")
	state != "known"
	msg := sprintf("%s %q: copy_tags_to_snapshot is %s", [r.type, r.name, result.state_text[state]])
}
