# METADATA
# title: Redshift cluster not encrypted at rest
# description: >-
#   A data warehouse gathers data from many systems; its storage, backups and
#   snapshots must be encrypted at rest so a copied snapshot does not expose it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RS-001
#   severity: high
#   resource_types: [aws_redshift_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set encrypted = true with a customer-managed kms_key_id; Redshift migrates
#     an existing cluster to encrypted storage in place.
package checks.aws.redshift.encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encrypted") == "known"
	r.attributes.encrypted == false
	msg := sprintf("%s %q stores data unencrypted (encrypted = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["encrypted"]) if {
	some r in resources
	state := result.attribute_state(r, "encrypted")
	state != "known"
	msg := sprintf("%s %q: encrypted is %s", [r.type, r.name, result.state_text[state]])
}
