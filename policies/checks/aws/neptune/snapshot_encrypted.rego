# METADATA
# title: Neptune cluster snapshot not encrypted
# description: >-
#   An unencrypted snapshot is a readable copy of the whole graph that can be
#   shared, copied to other regions and restored outside the cluster's controls.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NEP-008
#   severity: high
#   resource_types: [aws_neptune_cluster_snapshot]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Copy the snapshot with encryption under a customer-managed KMS key
#     (copy-db-cluster-snapshot --kms-key-id), delete the unencrypted one, and
#     encrypt the source cluster.
package checks.aws.neptune.snapshot_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "storage_encrypted") == "known"
	r.attributes.storage_encrypted == false
	msg := sprintf("%s %q is not encrypted (storage_encrypted = false)", [r.type, r.name])
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
