# METADATA
# title: CloudFront distribution allows SSLv3 or TLS below 1.2 to origins
# description: >-
#   Origin SSL protocols that include SSLv3, TLSv1 or TLSv1.1 let CloudFront
#   fall back to broken or deprecated protocols when talking to the origin.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CF-004
#   severity: medium
#   resource_types: [aws_cloudfront_distribution]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1", "12.3.3"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.8.21"]
#   remediation: >-
#     Set origin_ssl_protocols = ["TLSv1.2"] in every custom_origin_config.
package checks.aws.cloudfront.origin_tls_protocols

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

weak := {"SSLv3", "TLSv1", "TLSv1.1"}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_origins_readable(r)
	found := _weak_origins(r)
	count(found) > 0
	msg := sprintf("CloudFront distribution %q allows weak protocols to origins: %s", [r.name, concat(", ", found)])
}

findings contains result.indeterminate(metadata, r, msg, ["origin"]) if {
	some r in resources
	not _origins_readable(r)
	state := _origins_state(r)
	msg := sprintf("CloudFront distribution %q: origin is %s", [r.name, result.state_text[state]])
}

_weak_origins(r) := [sprintf("%v (%s)", [object.get(_object(o), "origin_id", i), concat(" ", sort(bad))]) |
	some i, o in _list(object.get(r.attributes, "origin", []))
	config := object.get(_object(o), "custom_origin_config", null)
	is_object(config)
	bad := {p | some p in _list(object.get(config, "origin_ssl_protocols", [])); p in weak}
	count(bad) > 0
]

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
