# METADATA
# title: ElastiCache replication group without AUTH or RBAC
# description: >-
#   Without an AUTH token or RBAC user groups, any client that reaches a
#   Redis or Valkey endpoint on the network can read, change and flush every
#   key. Security groups limit who reaches it; authentication decides who may
#   use it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC-003
#   severity: high
#   resource_types: [aws_elasticache_replication_group]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(d)"]
#     pci_dss: ["8.3.1", "7.2.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.5.15"]
#   remediation: >-
#     Associate RBAC user groups (user_group_ids, with the default user
#     disabled) or set an auth_token from Secrets Manager; both need
#     transit_encryption_enabled = true. An existing group can take a token
#     with auth_token_update_strategy ROTATE, then SET.
package checks.aws.elasticache.authentication

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Authentication is judged from what each source can see: a plan holds the
# token itself (sensitive, never printed: only whether it is set is read), the
# AWS collector only whether one is set (auth_token_enabled).
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_token(r) == "off"
	_rbac(r) == "off"
	msg := sprintf("ElastiCache replication group %q accepts clients without authentication (no AUTH token, no RBAC user group)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	not _authenticated(r)
	paths := [p |
		some part in ["token", "rbac"]
		_state(r, part) == "undecided"
		some p in _undecided_paths(r, part)
	]
	count(paths) > 0
	msg := sprintf("ElastiCache replication group %q: whether clients must authenticate cannot be told (%s)", [
		r.name, concat("; ", [_reason(r, p) | some p in paths]),
	])
}

# The paths that leave a part undecided: those known only after apply when
# there are any (a plan never has auth_token_enabled), else every path of it.
_undecided_paths(r, part) := unknown if {
	unknown := [p | some p in _paths[part]; result.attribute_state(r, p) == "unknown"]
	count(unknown) > 0
} else := _paths[part]

_paths := {
	"token": ["auth_token", "auth_token_enabled"],
	"rbac": ["user_group_ids"],
}

_authenticated(r) if _token(r) == "on"

_authenticated(r) if _rbac(r) == "on"

_state(r, "token") := _token(r)

_state(r, "rbac") := _rbac(r)

# "on", "off" or "undecided". A known non-empty token, or AuthTokenEnabled,
# is on; a known null or empty token, or AuthTokenEnabled false, is off.
_token(r) := "on" if {
	_known(r, "auth_token")
	_non_empty(r.attributes.auth_token)
} else := "on" if {
	_known(r, "auth_token_enabled")
	r.attributes.auth_token_enabled == true
} else := "off" if {
	_known(r, "auth_token")
	r.attributes.auth_token in {null, ""}
} else := "off" if {
	_known(r, "auth_token_enabled")
	r.attributes.auth_token_enabled == false
} else := "undecided"

_rbac(r) := "on" if {
	_known(r, "user_group_ids")
	groups := r.attributes.user_group_ids
	is_array(groups)
	some g in groups
	_non_empty(g)
} else := "off" if {
	_known(r, "user_group_ids")
	groups := r.attributes.user_group_ids
	_empty_list(groups)
} else := "undecided"

_empty_list(groups) if groups == null

_empty_list(groups) if groups == []

_known(r, path) if result.attribute_state(r, path) == "known"

_non_empty(value) if {
	is_string(value)
	value != ""
}

_reason(r, path) := sprintf("%s is %s", [path, result.state_text[state]]) if {
	state := result.attribute_state(r, path)
	state != "known"
} else := sprintf("%s is not recorded", [path])
