# METADATA
# title: S3 bucket policy allows any principal without a narrowing condition
# description: >-
#   A bucket policy statement that allows Principal "*" without a condition
#   naming an account, organization, VPC endpoint, network or source lets
#   anyone, or anyone with any AWS account, perform its actions on the
#   bucket, unless the public access block happens to stop it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-011
#   severity: critical
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["1.4.4", "7.2.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.8.3", "A.5.15"]
#   remediation: >-
#     Name the accounts, roles or services that need the bucket as principals
#     instead of "*", or add a condition on aws:PrincipalOrgID,
#     aws:SourceVpce, aws:SourceArn or aws:SourceAccount to every Allow
#     statement; serve public content through CloudFront with origin access
#     control instead, and keep block_public_policy on.
package checks.aws.s3.policy_public

import data.lib.inventory
import data.lib.resource_policy
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# null: the bucket has no policy, so it shares nothing.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	doc := resource_policy.document(r.attributes.policy)
	open := resource_policy.open_statements(doc)
	count(open) > 0
	msg := sprintf("S3 bucket %q policy allows any principal without a narrowing condition: %s", [r.name, concat(", ", open)])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	state := result.attribute_state(r, "policy")
	state != "known"
	msg := sprintf("S3 bucket %q: policy is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["policy"]) if {
	some r in resources
	result.attribute_state(r, "policy") == "known"
	resource_policy.unreadable(r.attributes.policy)
	msg := sprintf("S3 bucket %q: policy is not a JSON policy document", [r.name])
}
