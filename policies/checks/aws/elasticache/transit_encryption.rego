# METADATA
# title: ElastiCache replication group without encryption in transit
# description: >-
#   Without TLS, or with TLS only preferred, the data and AUTH tokens exchanged
#   between clients and cache nodes can travel the network in clear text.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC-002
#   severity: high
#   resource_types: [aws_elasticache_replication_group]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     soc2: ["CC6.7"]
#   remediation: >-
#     Set transit_encryption_enabled = true and, once every client connects over
#     TLS, transit_encryption_mode = "required".
package checks.aws.elasticache.transit_encryption

import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources contains r if {
	some r in input.resources
	r.type in metadata.resource_types
}

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	result.attribute_state(r, "transit_encryption_enabled") == "known"
	r.attributes.transit_encryption_enabled == false
	msg := sprintf("ElastiCache replication group %q accepts clear-text connections (transit_encryption_enabled = false)", [r.name])
}

# "preferred" (the migration mode) still accepts clear-text clients. An absent
# mode is the engine's only mode with TLS on: required.
findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	_enabled(r)
	result.attribute_state(r, "transit_encryption_mode") == "known"
	r.attributes.transit_encryption_mode == "preferred"
	msg := sprintf("ElastiCache replication group %q accepts clear-text connections (transit_encryption_mode = \"preferred\")", [r.name])
}

findings contains result.indeterminate(rego.metadata.chain(), r, msg, ["transit_encryption_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "transit_encryption_enabled")
	state != "known"
	msg := sprintf("ElastiCache replication group %q: transit_encryption_enabled is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(rego.metadata.chain(), r, msg, ["transit_encryption_mode"]) if {
	some r in resources
	_enabled(r)
	result.attribute_state(r, "transit_encryption_mode") == "unknown"
	msg := sprintf("ElastiCache replication group %q: transit_encryption_mode is %s", [r.name, result.state_text.unknown])
}

_enabled(r) if {
	result.attribute_state(r, "transit_encryption_enabled") == "known"
	r.attributes.transit_encryption_enabled == true
}
