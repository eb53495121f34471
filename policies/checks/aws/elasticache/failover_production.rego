# METADATA
# title: Production ElastiCache replication group without automatic failover and Multi-AZ
# description: >-
#   Without automatic failover a failed primary node stays down until someone
#   promotes a replica by hand; without Multi-AZ the replicas may share the
#   primary's availability zone and go down with it. A production cache or
#   data store needs both to survive a node or zone failure.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC-005
#   severity: medium
#   resource_types: [aws_elasticache_replication_group]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(7)(ii)(C)"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.14"]
#   remediation: >-
#     Give the group at least one replica (num_cache_clusters of 2 or more, or
#     replicas_per_node_group of 1 or more) in other availability zones and
#     set automatic_failover_enabled = true and multi_az_enabled = true.
package checks.aws.elasticache.failover_production

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only groups tagged as production are in scope.
resources := {r | some r in inventory.of(metadata); tags.production(r)}

settings := ["automatic_failover_enabled", "multi_az_enabled"]

# One finding names every setting that is off (false, or null: never set,
# off by default); one setting off is enough, whatever the other says.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	off := [sprintf("%s = %v", [s, r.attributes[s]]) |
		some s in settings
		result.attribute_state(r, s) == "known"
		r.attributes[s] in {false, null}
	]
	count(off) > 0
	msg := sprintf("production ElastiCache replication group %q does not fail over across availability zones on its own (%s)", [r.name, concat(", ", off)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	not _any_off(r)
	paths := [s | some s in settings; not _recorded(r, s)]
	count(paths) > 0
	msg := sprintf("ElastiCache replication group %q: %s", [r.name, concat("; ", [_reason(r, s) | some s in paths])])
}

_any_off(r) if {
	some s in settings
	result.attribute_state(r, s) == "known"
	r.attributes[s] in {false, null}
}

_recorded(r, s) if {
	result.attribute_state(r, s) == "known"
	r.attributes[s] in {true, false, null}
}

_reason(r, s) := sprintf("%s is %s", [s, result.state_text[state]]) if {
	state := result.attribute_state(r, s)
	state != "known"
} else := sprintf("%s is not a boolean", [s])
