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
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Set transit_encryption_enabled = true and, once every client connects over
#     TLS, transit_encryption_mode = "required".
package checks.aws.elasticache.transit_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "transit_encryption_enabled") == "known"
	r.attributes.transit_encryption_enabled == false
	msg := sprintf("ElastiCache replication group %q accepts clear-text connections (transit_encryption_enabled = false)", [r.name])
}

# "preferred" (the migration mode) still accepts clear-text clients. Modes are
# compared case-insensitively.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_enabled(r)
	result.attribute_state(r, "transit_encryption_mode") == "known"
	mode := r.attributes.transit_encryption_mode
	_mode(mode) == "preferred"
	msg := sprintf("ElastiCache replication group %q accepts clear-text connections (transit_encryption_mode = %q)", [r.name, mode])
}

findings contains result.indeterminate(metadata, r, msg, ["transit_encryption_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "transit_encryption_enabled")
	state != "known"
	msg := sprintf("ElastiCache replication group %q: transit_encryption_enabled is %s", [r.name, result.state_text[state]])
}

# With TLS on, only a recorded mode tells "required" from "preferred": a mode
# that is unknown, absent, null or not one of the two is undecided, never a pass
# (older engines without modes may leave it null; the collector should record
# "required" for them).
findings contains result.indeterminate(metadata, r, msg, ["transit_encryption_mode"]) if {
	some r in resources
	_enabled(r)
	state := result.attribute_state(r, "transit_encryption_mode")
	state != "known"
	msg := sprintf("ElastiCache replication group %q: transit_encryption_mode is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["transit_encryption_mode"]) if {
	some r in resources
	_enabled(r)
	result.attribute_state(r, "transit_encryption_mode") == "known"
	mode := r.attributes.transit_encryption_mode
	not _recognised(mode)
	msg := sprintf("ElastiCache replication group %q: transit_encryption_mode is not recorded (%s)", [r.name, _text(mode)])
}

_mode(mode) := lower(trim_space(mode)) if is_string(mode)

_recognised(mode) if _mode(mode) in {"preferred", "required"}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)

_enabled(r) if {
	result.attribute_state(r, "transit_encryption_enabled") == "known"
	r.attributes.transit_encryption_enabled == true
}
