# METADATA
# title: ElastiCache replication group without automatic backups
# description: >-
#   With a snapshot retention of 0 (the default) ElastiCache takes no daily
#   snapshot, so data held only in Redis or Valkey (sessions, queues, state
#   not rebuilt from another store) is lost for good when the group is
#   deleted, corrupted or flushed.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC-004
#   severity: medium
#   resource_types: [aws_elasticache_replication_group]
#   controls:
#     gdpr: ["Art.32(1)(c)"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     pci_dss: ["12.10.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13"]
#   remediation: >-
#     Set snapshot_retention_limit to the number of days daily snapshots must
#     be kept (1 to 35) and a snapshot_window outside peak hours.
package checks.aws.elasticache.automatic_backups

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# 0, or null (never set: the default is 0).
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "snapshot_retention_limit") == "known"
	limit := r.attributes.snapshot_retention_limit
	limit in {0, null}
	msg := sprintf("ElastiCache replication group %q takes no automatic backups (snapshot_retention_limit = %v)", [r.name, limit])
}

findings contains result.indeterminate(metadata, r, msg, ["snapshot_retention_limit"]) if {
	some r in resources
	state := result.attribute_state(r, "snapshot_retention_limit")
	state != "known"
	msg := sprintf("ElastiCache replication group %q: snapshot_retention_limit is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["snapshot_retention_limit"]) if {
	some r in resources
	result.attribute_state(r, "snapshot_retention_limit") == "known"
	limit := r.attributes.snapshot_retention_limit
	not limit in {0, null}
	not _days(limit)
	msg := sprintf("ElastiCache replication group %q: snapshot_retention_limit is not a number of days (%s)", [r.name, _text(limit)])
}

_days(limit) if {
	is_number(limit)
	limit > 0
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
