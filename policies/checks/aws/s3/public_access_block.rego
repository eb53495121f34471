# METADATA
# title: S3 bucket without a complete public access block
# description: >-
#   Without all four public access block settings, an ACL or bucket policy
#   change can expose the bucket's objects to anyone on the internet.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-001
#   severity: high
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["1.4.4", "7.2.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.8.3", "A.8.12"]
#   remediation: >-
#     Add an aws_s3_bucket_public_access_block with block_public_acls,
#     block_public_policy, ignore_public_acls and restrict_public_buckets all true.
package checks.aws.s3.public_access_block

import data.lib.inventory
import data.lib.result

settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "public_access_block") == "known"
	not is_object(r.attributes.public_access_block)
	msg := sprintf("S3 bucket %q has no public access block", [r.name])
}

# A setting already known to be off fails the bucket, even when another
# setting is known only after apply.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	off := _known_off(r)
	count(off) > 0
	msg := sprintf("S3 bucket %q public access block leaves off: %s", [r.name, concat(", ", off)])
}

findings contains result.indeterminate(metadata, r, msg, ["public_access_block"]) if {
	some r in resources
	state := result.attribute_state(r, "public_access_block")
	state != "known"
	count(_known_off(r)) == 0
	msg := sprintf("S3 bucket %q: public_access_block is %s", [r.name, result.state_text[state]])
}

# The settings a present block leaves off. A setting absent from the block is
# off (the provider's default is false); one known only after apply is not.
_known_off(r) := [s |
	block := object.get(r.attributes, "public_access_block", null)
	is_object(block)
	some s in settings
	object.get(block, s, false) != true # tested first: most settings are on, and the state costs a call
	result.attribute_state(r, concat(".", ["public_access_block", s])) != "unknown"
]
