# METADATA
# title: S3 bucket with ACLs enabled
# description: >-
#   While a bucket's object ownership is not BucketOwnerEnforced, bucket and
#   object ACLs still grant access, and objects uploaded by other accounts
#   may stay theirs: access is then decided in two places, one of them per
#   object and invisible in the bucket policy. Buckets created since April
#   2023 have ACLs disabled unless someone turns them back on.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-010
#   severity: low
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.25(2)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.15", "A.8.3"]
#   remediation: >-
#     Add aws_s3_bucket_ownership_controls with rule object_ownership =
#     "BucketOwnerEnforced" after moving any access still granted by ACLs into
#     the bucket policy (S3 refuses the change while the bucket ACL grants
#     access to anyone but the owner).
package checks.aws.s3.acls_enabled

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# null: the bucket has no ownership controls, so ACLs are on (a bucket from
# before April 2023 that was never changed). A plan records the AWS default
# BucketOwnerEnforced for a new bucket without ownership controls.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "object_ownership") == "known"
	value := r.attributes.object_ownership
	value in {"BucketOwnerPreferred", "ObjectWriter"}
	msg := sprintf("S3 bucket %q has ACLs enabled (object_ownership = %q)", [r.name, value])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "object_ownership") == "known"
	r.attributes.object_ownership == null
	msg := sprintf("S3 bucket %q has ACLs enabled (no ownership controls: object_ownership = null)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["object_ownership"]) if {
	some r in resources
	state := result.attribute_state(r, "object_ownership")
	state != "known"
	msg := sprintf("S3 bucket %q: object_ownership is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["object_ownership"]) if {
	some r in resources
	result.attribute_state(r, "object_ownership") == "known"
	value := r.attributes.object_ownership
	not value in {"BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter", null}
	msg := sprintf("S3 bucket %q: object_ownership is not a known setting (%s)", [r.name, _text(value)])
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
