# METADATA
# title: RDS storage not encrypted at rest
# description: >-
#   Database storage, automated backups, read replicas and snapshots must be
#   encrypted at rest, so a copied volume or snapshot does not expose the data.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-001
#   severity: high
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set storage_encrypted = true, with a customer-managed kms_key_id. An existing
#     instance cannot be encrypted in place: restore an encrypted copy of a snapshot.
package checks.aws.rds.storage_encrypted

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "storage_encrypted") == "known"
	r.attributes.storage_encrypted == false
	msg := sprintf("%s %q stores data unencrypted (storage_encrypted = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["storage_encrypted"]) if {
	some r in resources
	state := result.attribute_state(r, "storage_encrypted")
	state != "known"
	msg := sprintf("%s %q: storage_encrypted is %s", [r.type, r.name, result.state_text[state]])
}
