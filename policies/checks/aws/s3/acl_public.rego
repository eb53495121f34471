# METADATA
# title: S3 bucket ACL grants access to everyone or to any AWS account
# description: >-
#   A bucket ACL that grants a permission to the AllUsers group (anyone on
#   the internet) or the AuthenticatedUsers group (anyone with any AWS
#   account), directly or through the canned ACLs public-read,
#   public-read-write and authenticated-read, opens the bucket's listing, its
#   objects' upload or its ACL to strangers.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-008
#   severity: critical
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["1.4.4", "7.2.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.8.3", "A.5.15"]
#   remediation: >-
#     Set the bucket ACL to private (aws_s3_bucket_acl acl = "private") or,
#     better, disable ACLs with aws_s3_bucket_ownership_controls
#     object_ownership = "BucketOwnerEnforced", grant access through the
#     bucket policy, and keep the public access block on.
package checks.aws.s3.acl_public

import data.lib.inventory
import data.lib.result

public_canned_acls := {"public-read", "public-read-write", "authenticated-read"}

public_groups := {
	"http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# A canned ACL (a plan's aws_s3_bucket_acl.acl) and the grants (the AWS
# collector's GetBucketAcl, or a plan's access_control_policy) are both read;
# either one opening the bucket fails it.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	reasons := _reasons(r)
	count(reasons) > 0
	msg := sprintf("S3 bucket %q ACL opens it beyond the account: %s", [r.name, concat(", ", reasons)])
}

# A known canned ACL decides the grants (the two are exclusive), so grants
# known only after apply beside it are not needed.
findings contains result.indeterminate(metadata, r, msg, ["acl"]) if {
	some r in resources
	not _opened(r)
	state := result.attribute_state(r, "acl")
	state == "unknown"
	msg := sprintf("S3 bucket %q: acl is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["grants"]) if {
	some r in resources
	not _opened(r)
	result.attribute_state(r, "acl") != "unknown"
	not _canned(r)
	not _grants(r)
	msg := sprintf("S3 bucket %q: grants is %s", [r.name, _grants_text(r)])
}

# A function with a value, so OPA keeps it per bucket for the three rules.
_reasons(r) := array.concat(_acl_reasons(r), _grant_reasons(r))

_opened(r) if count(_reasons(r)) > 0

_canned(r) := lower(trim_space(r.attributes.acl)) if {
	result.attribute_state(r, "acl") == "known"
	is_string(r.attributes.acl)
	trim_space(r.attributes.acl) != ""
}

_acl_reasons(r) := [sprintf("canned ACL %q", [r.attributes.acl])] if {
	_canned(r) in public_canned_acls
} else := []

_grants(r) := r.attributes.grants if {
	result.attribute_state(r, "grants") == "known"
	is_array(r.attributes.grants)
}

_grant_reasons(r) := [sprintf("%s to %s", [_permission(g), group]) |
	some g in _grants(r)
	is_object(g)
	is_string(g.uri)
	group := _public_uris[lower(trim_space(g.uri))]
]

# Group URIs are compared without case and with either scheme: every accepted
# spelling, lower-cased, to its group, built once rather than per grant.
_public_uris := {spelling: group |
	some uri, group in public_groups
	some spelling in {lower(uri), replace(lower(uri), "http://", "https://")}
}

_permission(g) := g.permission if {
	is_string(g.permission)
	g.permission != ""
} else := "a permission"

_grants_text(r) := result.state_text[state] if {
	state := result.attribute_state(r, "grants")
	state != "known"
} else := "not a list of grants"
