# METADATA
# title: Root user has access keys
# description: >-
#   A root access key is a long-lived credential with unrestricted access to
#   the account that no IAM policy can limit; leaked from a script or a laptop,
#   it hands over the whole account.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-IAM-002
#   severity: critical
#   resource_types: [aws_iam_account]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.8.2", "A.5.17"]
#   remediation: >-
#     Delete the root user's access keys (Security credentials page, signed in
#     as root) and give automation an IAM role with least-privilege permissions.
package checks.aws.iam.root_access_keys

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "root_access_keys_present") == "known"
	r.attributes.root_access_keys_present == true
	msg := sprintf("AWS account %q root user has access keys (root_access_keys_present = true)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["root_access_keys_present"]) if {
	some r in resources
	state := result.attribute_state(r, "root_access_keys_present")
	state != "known"
	msg := sprintf("AWS account %q: root_access_keys_present is %s", [r.name, result.state_text[state]])
}
