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
#   remediation: >-
#     Add an aws_s3_bucket_public_access_block with block_public_acls,
#     block_public_policy, ignore_public_acls and restrict_public_buckets all true.
package checks.aws.s3.public_access_block

import data.lib.result

settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

metadata := result.check_metadata(rego.metadata.chain())

resources contains r if {
	some r in input.resources
	r.type in metadata.resource_types
}

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	_block_state(r) == "known"
	not is_object(r.attributes.public_access_block)
	msg := sprintf("S3 bucket %q has no public access block", [r.name])
}

findings contains result.fail(rego.metadata.chain(), r, msg) if {
	some r in resources
	_block_state(r) == "known"
	block := r.attributes.public_access_block
	is_object(block)
	off := [s | some s in settings; object.get(block, s, false) != true]
	count(off) > 0
	msg := sprintf("S3 bucket %q public access block leaves off: %s", [r.name, concat(", ", off)])
}

findings contains result.indeterminate(rego.metadata.chain(), r, msg, ["public_access_block"]) if {
	some r in resources
	state := _block_state(r)
	state != "known"
	msg := sprintf("S3 bucket %q: public_access_block is %s", [r.name, result.state_text[state]])
}

# A plan may know the block exists but not yet one of its settings.
_block_state(r) := "unknown" if {
	some s in settings
	result.attribute_state(r, concat(".", ["public_access_block", s])) == "unknown"
} else := result.attribute_state(r, "public_access_block")
