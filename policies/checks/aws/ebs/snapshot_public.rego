# METADATA
# title: EBS snapshot shared publicly
# description: >-
#   A snapshot whose create-volume permission includes the group "all" can be
#   restored by any AWS account, publishing the whole volume it was taken from.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EBS-004
#   severity: critical
#   resource_types: [aws_ebs_snapshot, aws_ebs_snapshot_copy]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.1"]
#     soc2: ["CC6.1", "C1.1"]
#     iso27001: ["A.5.15", "A.8.12"]
#   remediation: >-
#     Remove the public permission (modify-snapshot-attribute
#     --attribute createVolumePermission --operation-type remove
#     --group-names all), share only with named accounts
#     (aws_snapshot_create_volume_permission), and turn on the account's block
#     public access for snapshots.
package checks.aws.ebs.snapshot_public

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "shared_accounts") == "known"
	some account in r.attributes.shared_accounts
	is_string(account)
	lower(account) == "all"
	msg := sprintf("EBS snapshot %q is public: any AWS account can create a volume from it (shared_accounts contains \"all\")", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["shared_accounts"]) if {
	some r in resources
	state := result.attribute_state(r, "shared_accounts")
	state != "known"
	msg := sprintf("EBS snapshot %q: shared_accounts is %s", [r.name, result.state_text[state]])
}
