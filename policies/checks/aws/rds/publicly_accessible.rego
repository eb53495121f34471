# METADATA
# title: RDS instance publicly accessible
# description: >-
#   A database instance with a public endpoint can be reached from the internet;
#   databases holding regulated data must only be reachable from private networks.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-002
#   severity: critical
#   resource_types: [aws_db_instance]
#   controls:
#     gdpr: ["Art.32(1)(b)", "Art.25(2)"]
#     hipaa: ["164.312(e)(1)", "164.312(a)(1)"]
#     pci_dss: ["1.4.4", "1.3.1"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Set publicly_accessible = false and reach the database through a private
#     subnet, a VPN or a bastion.
package checks.aws.rds.publicly_accessible

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "publicly_accessible") == "known"
	r.attributes.publicly_accessible == true
	msg := sprintf("%s %q has a public endpoint (publicly_accessible = true)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["publicly_accessible"]) if {
	some r in resources
	state := result.attribute_state(r, "publicly_accessible")
	state != "known"
	msg := sprintf("%s %q: publicly_accessible is %s", [r.type, r.name, result.state_text[state]])
}
