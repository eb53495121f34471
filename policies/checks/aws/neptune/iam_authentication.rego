# METADATA
# title: Neptune IAM database authentication disabled
# description: >-
#   Without IAM database authentication anyone who can reach a Neptune endpoint on
#   the network can read and change the graph: Neptune has no database users or
#   passwords of its own, so IAM (SigV4-signed requests) is its only access control.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NEP-003
#   severity: high
#   resource_types: [aws_neptune_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(d)"]
#     pci_dss: ["8.3.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.5.16"]
#   remediation: >-
#     Set iam_database_authentication_enabled = true, grant the clients' roles
#     neptune-db:* actions on the cluster's resource id only as far as they need,
#     and have them sign their requests (SigV4).
package checks.aws.neptune.iam_authentication

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "iam_database_authentication_enabled") == "known"
	r.attributes.iam_database_authentication_enabled == false
	msg := sprintf("%s %q answers any client that reaches it on the network (iam_database_authentication_enabled = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["iam_database_authentication_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "iam_database_authentication_enabled")
	state != "known"
	msg := sprintf("%s %q: iam_database_authentication_enabled is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["iam_database_authentication_enabled"]) if {
	some r in resources
	result.attribute_state(r, "iam_database_authentication_enabled") == "known"
	not is_boolean(r.attributes.iam_database_authentication_enabled)
	msg := sprintf("%s %q: iam_database_authentication_enabled is not recorded (%v)", [r.type, r.name, r.attributes.iam_database_authentication_enabled])
}
