# METADATA
# title: Production OpenSearch domain without zone awareness
# description: >-
#   A domain whose nodes all sit in one availability zone goes down, and may
#   lose unreplicated shards, with that zone; zone awareness spreads nodes and
#   shard replicas over two or three zones.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-OS-008
#   severity: medium
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(7)(ii)(C)"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.14"]
#   remediation: >-
#     Set cluster_config.zone_awareness_enabled = true with
#     zone_awareness_config.availability_zone_count = 2 or 3, an even (or
#     multiple of three) number of data nodes, subnets in as many zones, and
#     at least one replica per index.
package checks.aws.opensearch.zone_awareness_production

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only domains tagged as production are in scope.
resources := {r | some r in inventory.of(metadata); tags.production(r)}

_label := {"aws_opensearch_domain": "OpenSearch domain", "aws_elasticsearch_domain": "Elasticsearch domain"}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	value := _zone_awareness(r)
	value != true
	msg := sprintf("production %s %q keeps its nodes in one availability zone (zone_awareness_enabled = %v)", [_label[r.type], r.name, value])
}

findings contains result.indeterminate(metadata, r, msg, ["cluster_config.zone_awareness_enabled"]) if {
	some r in resources
	not _decided(r)
	state := _state(r)
	msg := sprintf("%s %q: cluster_config.zone_awareness_enabled is %s", [_label[r.type], r.name, state])
}

# The setting; false when the block or the value is null (the default: off).
_zone_awareness(r) := false if {
	result.attribute_state(r, "cluster_config") == "known"
	r.attributes.cluster_config == null
} else := false if {
	result.attribute_state(r, "cluster_config.zone_awareness_enabled") == "known"
	r.attributes.cluster_config.zone_awareness_enabled == null
} else := r.attributes.cluster_config.zone_awareness_enabled if {
	result.attribute_state(r, "cluster_config.zone_awareness_enabled") == "known"
	is_boolean(r.attributes.cluster_config.zone_awareness_enabled)
}

# Defined when the setting can be read (a false value too).
_decided(r) if {
	_ := _zone_awareness(r)
}

_state(r) := result.state_text[state] if {
	state := result.attribute_state(r, "cluster_config.zone_awareness_enabled")
	state != "known"
} else := "not true or false"
