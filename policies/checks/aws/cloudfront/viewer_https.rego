# METADATA
# title: CloudFront distribution lets viewers use plain HTTP
# description: >-
#   A cache behavior with viewer protocol policy allow-all serves content and
#   accepts cookies and form posts over unencrypted HTTP.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CF-001
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.8.20"]
#   remediation: >-
#     Set viewer_protocol_policy to "redirect-to-https" or "https-only" on the
#     default cache behavior and on every ordered cache behavior.
package checks.aws.cloudfront.viewer_https

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	open := _allow_all(r)
	count(open) > 0
	msg := sprintf("CloudFront distribution %q serves plain HTTP (viewer_protocol_policy allow-all) on: %s", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	count(_allow_all(r)) == 0
	paths := _not_known(r)
	count(paths) > 0
	msg := sprintf("CloudFront distribution %q: the viewer protocol policy of %s is not known (only after apply, or missing from the inventory)", [r.name, concat(", ", paths)])
}

# Where a viewer protocol policy is unknown or missing.
_not_known(r) := array.concat(
	[p | p := "default_cache_behavior"; result.attribute_state(r, "default_cache_behavior.viewer_protocol_policy") != "known"],
	[p | p := "ordered_cache_behavior"; not _ordered_known(r)],
)

# An element's own path is never "known" to attribute_state (it reads object
# keys only), so elements are checked for unknown parts and read directly.
_ordered_known(r) if {
	behaviors := object.get(r.attributes, "ordered_cache_behavior", false)
	is_array(behaviors)
	not "ordered_cache_behavior" in object.get(r, "unknown", [])
	every i, _ in behaviors {
		result.attribute_state(r, sprintf("ordered_cache_behavior.%d.viewer_protocol_policy", [i])) != "unknown"
	}
}

_ordered_known(r) if {
	result.attribute_state(r, "ordered_cache_behavior") == "known"
	r.attributes.ordered_cache_behavior == null
}

# The behaviors already known to allow plain HTTP, default first.
_allow_all(r) := array.concat(
	[b |
		result.attribute_state(r, "default_cache_behavior.viewer_protocol_policy") == "known"
		object.get(_object(r.attributes.default_cache_behavior), "viewer_protocol_policy", null) == "allow-all"
		b := "default"
	],
	[b |
		some i, behavior in _list(object.get(r.attributes, "ordered_cache_behavior", []))
		result.attribute_state(r, sprintf("ordered_cache_behavior.%d.viewer_protocol_policy", [i])) != "unknown"
		object.get(_object(behavior), "viewer_protocol_policy", null) == "allow-all"
		b := object.get(_object(behavior), "path_pattern", sprintf("behavior %d", [i + 1]))
	],
)

_list(v) := v if is_array(v)

_list(v) := [] if not is_array(v)

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)
