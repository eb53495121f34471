# METADATA
# title: Neptune cluster storage not encrypted at rest
# description: >-
#   A Neptune cluster's storage, its automated backups and its snapshots hold the
#   whole graph, people and their relationships included; unencrypted, a copied
#   volume or snapshot exposes all of it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NEP-001
#   severity: high
#   resource_types: [aws_neptune_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set storage_encrypted = true with a customer-managed kms_key_arn. Encryption
#     cannot be turned on for an existing cluster: restore an encrypted cluster from
#     a snapshot and move the clients to it.
package checks.aws.neptune.storage_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "storage_encrypted") == "known"
	r.attributes.storage_encrypted == false
	msg := sprintf("%s %q stores its graph unencrypted (storage_encrypted = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["storage_encrypted"]) if {
	some r in resources
	state := result.attribute_state(r, "storage_encrypted")
	state != "known"
	msg := sprintf("%s %q: storage_encrypted is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["storage_encrypted"]) if {
	some r in resources
	result.attribute_state(r, "storage_encrypted") == "known"
	not is_boolean(r.attributes.storage_encrypted)
	msg := sprintf("%s %q: storage_encrypted is not recorded (%v)", [r.type, r.name, r.attributes.storage_encrypted])
}
