# METADATA
# title: ElastiCache replication group not encrypted at rest
# description: >-
#   Without at-rest encryption, cached data, backups and swap on the cache
#   nodes' disks are stored unencrypted; caches often hold session data, tokens
#   and copies of database rows.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC-001
#   severity: high
#   resource_types: [aws_elasticache_replication_group]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set at_rest_encryption_enabled = true with a customer-managed kms_key_id.
#     It cannot be turned on for an existing group: create an encrypted group
#     from a backup and switch the clients to it.
package checks.aws.elasticache.at_rest_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "at_rest_encryption_enabled") == "known"
	r.attributes.at_rest_encryption_enabled == false
	msg := sprintf("ElastiCache replication group %q stores data unencrypted (at_rest_encryption_enabled = false)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["at_rest_encryption_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "at_rest_encryption_enabled")
	state != "known"
	msg := sprintf("ElastiCache replication group %q: at_rest_encryption_enabled is %s", [r.name, result.state_text[state]])
}
