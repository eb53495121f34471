# METADATA
# title: RDS automatic minor version upgrades disabled
# description: >-
#   Minor engine versions carry security fixes; with automatic minor version
#   upgrades off, an instance keeps running known-vulnerable engine versions
#   until someone upgrades it by hand.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-009
#   severity: low
#   resource_types: [aws_db_instance]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     pci_dss: ["6.3.3"]
#     soc2: ["CC7.1"]
#     iso27001: ["A.8.8"]
#   remediation: >-
#     Set auto_minor_version_upgrade = true so minor versions are applied in the
#     maintenance window, or document the manual patching process that replaces it.
package checks.aws.rds.auto_minor_version_upgrade

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "auto_minor_version_upgrade") == "known"
	r.attributes.auto_minor_version_upgrade == false
	msg := sprintf("%s %q does not receive minor engine upgrades (auto_minor_version_upgrade = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["auto_minor_version_upgrade"]) if {
	some r in resources
	state := result.attribute_state(r, "auto_minor_version_upgrade")
	state != "known"
	msg := sprintf("%s %q: auto_minor_version_upgrade is %s", [r.type, r.name, result.state_text[state]])
}
