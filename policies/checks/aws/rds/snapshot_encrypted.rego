# METADATA
# title: RDS snapshot not encrypted
# description: >-
#   An unencrypted snapshot is a readable copy of the whole database that can be
#   shared, copied to other regions and restored outside the database's controls.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-012
#   severity: high
#   resource_types: [aws_db_snapshot, aws_db_cluster_snapshot]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Copy the snapshot with encryption under a customer-managed KMS key
#     (copy-db-snapshot --kms-key-id), delete the unencrypted one, and encrypt
#     the source database.
package checks.aws.rds.snapshot_encrypted

import data.lib.inventory
import data.lib.result

# Terraform names the flag differently on the two snapshot types.
encryption_attribute := {
	"aws_db_snapshot": "encrypted",
	"aws_db_cluster_snapshot": "storage_encrypted",
}

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	attribute := encryption_attribute[r.type]
	result.attribute_state(r, attribute) == "known"
	r.attributes[attribute] == false
	msg := sprintf("%s %q is not encrypted (%s = false)", [r.type, r.name, attribute])
}

findings contains result.indeterminate(metadata, r, msg, [attribute]) if {
	some r in resources
	attribute := encryption_attribute[r.type]
	state := result.attribute_state(r, attribute)
	state != "known"
	msg := sprintf("%s %q: %s is %s", [r.type, r.name, attribute, result.state_text[state]])
}
