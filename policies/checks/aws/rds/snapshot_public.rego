# METADATA
# title: RDS snapshot shared publicly
# description: >-
#   A snapshot shared with "all" can be copied and restored by any AWS account,
#   which hands over a full copy of the database's data.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-011
#   severity: critical
#   resource_types: [aws_db_snapshot, aws_db_cluster_snapshot]
#   controls:
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.3", "A.8.12"]
#   remediation: >-
#     Remove "all" from shared_accounts (modify-db-snapshot-attribute
#     --values-to-remove all) and share only with named accounts that need it.
package checks.aws.rds.snapshot_public

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "shared_accounts") == "known"
	some account in r.attributes.shared_accounts
	lower(account) == "all"
	msg := sprintf("%s %q is public: any AWS account can restore it (shared_accounts contains \"all\")", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["shared_accounts"]) if {
	some r in resources
	state := result.attribute_state(r, "shared_accounts")
	state != "known"
	msg := sprintf("%s %q: shared_accounts is %s", [r.type, r.name, result.state_text[state]])
}
