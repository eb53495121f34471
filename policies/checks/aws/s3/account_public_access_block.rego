# METADATA
# title: S3 account-level public access block not fully on
# description: >-
#   The account-level public access block is the one setting that stops any
#   bucket in the account from being made public by an ACL or a policy,
#   whatever its own settings; with a flag off, one mistaken bucket policy
#   publishes data.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-101
#   severity: high
#   resource_types: [aws_s3_account_public_access_block]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["1.4.4", "7.2.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.8.3", "A.8.20"]
#   remediation: >-
#     Set block_public_acls, ignore_public_acls, block_public_policy and
#     restrict_public_buckets to true on aws_s3_account_public_access_block;
#     serve the few public sites through CloudFront with origin access
#     control instead.
package checks.aws.s3.account_public_access_block

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	off := [flag |
		some flag in _flags
		result.attribute_state(r, flag) == "known"
		r.attributes[flag] != true
	]
	count(off) > 0
	msg := sprintf("S3 account-level public access block in %s is not fully on: %s off", [_where(r), concat(", ", off)])
}

findings contains result.indeterminate(metadata, r, msg, undecided) if {
	some r in resources
	undecided := [flag | some flag in _flags; result.attribute_state(r, flag) != "known"]
	count(undecided) > 0
	msg := sprintf("S3 account-level public access block in %s: %s not known (missing from the inventory or known only after apply)", [_where(r), concat(", ", undecided)])
}

_where(r) := sprintf("account %s", [object.get(r, "account", null)]) if is_string(object.get(r, "account", null))

else := "account unknown"
