# METADATA
# title: DynamoDB point-in-time recovery disabled
# description: >-
#   Without point-in-time recovery a table overwritten or deleted by a faulty
#   deployment, a bad script or an attacker can only be restored from on-demand
#   backups, if any; with it, to any second of the last 35 days.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-DDB-001
#   severity: medium
#   resource_types: [aws_dynamodb_table]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     pci_dss: ["12.10.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13"]
#   remediation: >-
#     Add point_in_time_recovery { enabled = true } to the table.
package checks.aws.dynamodb.point_in_time_recovery

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# null means point-in-time recovery was never configured: off.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "point_in_time_recovery") == "known"
	not is_object(r.attributes.point_in_time_recovery)
	msg := sprintf("%s %q has no point-in-time recovery (point_in_time_recovery = null)", [r.type, r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "point_in_time_recovery.enabled") == "known"
	r.attributes.point_in_time_recovery.enabled == false
	msg := sprintf("%s %q has no point-in-time recovery (point_in_time_recovery.enabled = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["point_in_time_recovery.enabled"]) if {
	some r in resources
	not _known_null(r)
	state := result.attribute_state(r, "point_in_time_recovery.enabled")
	state != "known"
	msg := sprintf("%s %q: point_in_time_recovery.enabled is %s", [r.type, r.name, result.state_text[state]])
}

_known_null(r) if {
	result.attribute_state(r, "point_in_time_recovery") == "known"
	not is_object(r.attributes.point_in_time_recovery)
}
