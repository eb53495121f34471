# METADATA
# title: CloudFront distribution reaches custom origins over plain HTTP
# description: >-
#   With origin protocol policy http-only (or match-viewer while viewers may
#   use HTTP) requests and responses cross the internet between CloudFront and
#   the origin unencrypted.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CF-003
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.8.20"]
#   remediation: >-
#     Set custom_origin_config origin_protocol_policy = "https-only" on every
#     custom origin and serve the origin with a certificate CloudFront trusts.
package checks.aws.cloudfront.origin_https

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_origins_readable(r)
	plain := _plain_origins(r)
	count(plain) > 0
	msg := sprintf("CloudFront distribution %q reaches origins over plain HTTP: %s", [r.name, concat(", ", plain)])
}

findings contains result.indeterminate(metadata, r, msg, ["origin"]) if {
	some r in resources
	not _origins_readable(r)
	state := _origins_state(r)
	msg := sprintf("CloudFront distribution %q: origin is %s", [r.name, result.state_text[state]])
}

_plain_origins(r) := [sprintf("%v (%s)", [object.get(_object(o), "origin_id", i), policy]) |
	some i, o in _list(object.get(r.attributes, "origin", []))
	config := object.get(_object(o), "custom_origin_config", null)
	is_object(config)
	policy := object.get(config, "origin_protocol_policy", null)
	_plain(r, policy)
]

_plain(_, "http-only")

# match-viewer uses HTTP to the origin whenever a viewer came over HTTP.
_plain(r, "match-viewer") if {
	some behavior in array.concat([object.get(r.attributes, "default_cache_behavior", {})], _list(object.get(r.attributes, "ordered_cache_behavior", [])))
	is_object(behavior)
	object.get(behavior, "viewer_protocol_policy", null) == "allow-all"
}

# The origins are read when the list is there and no origin's
# custom_origin_config is known only after apply (an element's own path is
# never "known" to attribute_state, which reads object keys only).
_origins_readable(r) if {
	origins := object.get(r.attributes, "origin", false)
	is_array(origins)
	not "origin" in object.get(r, "unknown", [])
	every i, _ in origins {
		result.attribute_state(r, sprintf("origin.%d.custom_origin_config", [i])) != "unknown"
	}
}

_origins_state(r) := "unknown" if {
	result.attribute_state(r, "origin") == "unknown"
} else := "missing"

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)

_list(v) := v if is_array(v)

_list(v) := [] if not is_array(v)
