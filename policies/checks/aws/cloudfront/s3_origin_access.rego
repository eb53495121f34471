# METADATA
# title: CloudFront serves an S3 bucket without origin access control
# description: >-
#   A distribution that fetches from an S3 REST endpoint without origin
#   access control (or a legacy origin access identity) needs a bucket
#   readable by everyone, so its objects can be fetched straight from S3,
#   around the distribution's WAF, geo restrictions, signed URLs and logs.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CF-007
#   severity: high
#   resource_types: [aws_cloudfront_distribution]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["1.4.2", "7.2.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.8.3", "A.8.20"]
#   remediation: >-
#     Create an aws_cloudfront_origin_access_control (signing_behavior
#     always, origin type s3), set origin_access_control_id on the origin,
#     grant cloudfront.amazonaws.com s3:GetObject in the bucket policy with an
#     AWS:SourceArn condition naming the distribution, then turn on the
#     bucket's public access block.
package checks.aws.cloudfront.s3_origin_access

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	open := _open_origins(r)
	count(open) > 0
	msg := sprintf("CloudFront distribution %q reaches S3 origin(s) %s without origin access control or identity", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["origin"]) if {
	some r in resources
	state := result.attribute_state(r, "origin")
	state != "known"
	msg := sprintf("CloudFront distribution %q: origin is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["origin"]) if {
	some r in resources
	result.attribute_state(r, "origin") == "known"
	not _origins(r)
	r.attributes.origin != null
	msg := sprintf("CloudFront distribution %q: origin is not a list of origins", [r.name])
}

# S3 origins whose access settings cannot be read (missing from the inventory).
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	count(_open_origins(r)) == 0
	paths := [path |
		some i, o in _origins(r)
		_s3_rest(o)
		not _protected(o)
		some path in _unread(i, o)
	]
	count(paths) > 0
	msg := sprintf("CloudFront distribution %q: %s missing from the inventory", [r.name, concat(", ", paths)])
}

_origins(r) := r.attributes.origin if {
	result.attribute_state(r, "origin") == "known"
	is_array(r.attributes.origin)
}

# S3 REST origins with neither an origin access control nor an identity, by
# origin id (or position).
_open_origins(r) := [sprintf("%q (%s)", [_id(i, o), o.domain_name]) |
	some i, o in _origins(r)
	_s3_rest(o)
	not _protected(o)
	count(_unread(i, o)) == 0
]

# bucket.s3.amazonaws.com, bucket.s3.<region>.amazonaws.com,
# bucket.s3-<region>.amazonaws.com, dual-stack forms; website endpoints
# (s3-website) cannot use origin access control and are not S3 REST origins.
_s3_rest(o) if {
	is_object(o)
	domain := lower(object.get(o, "domain_name", ""))
	is_string(domain)
	regex.match(`^.+\.s3([.-][a-z0-9.-]+)?\.amazonaws\.com(\.cn)?$`, domain)
	not contains(domain, "s3-website")
}

_protected(o) if _non_empty(object.get(o, "origin_access_control_id", null))

_protected(o) if {
	config := object.get(o, "s3_origin_config", null)
	is_object(config)
	_non_empty(object.get(config, "origin_access_identity", null))
}

_non_empty(v) if {
	is_string(v)
	trim_space(v) != ""
}

# Fields left out of the inventory: origin_access_control_id always;
# s3_origin_config.origin_access_identity when an s3_origin_config is there.
_unread(i, o) := [path |
	some field in ["origin_access_control_id", "s3_origin_config"]
	not field in object.keys(o)
	path := sprintf("origin.%d.%s", [i, field])
] if is_object(o)

_id(i, o) := o.origin_id if {
	is_string(object.get(o, "origin_id", null))
	o.origin_id != ""
} else := sprintf("origin %d", [i + 1])
