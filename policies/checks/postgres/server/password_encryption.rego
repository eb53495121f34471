# METADATA
# title: PostgreSQL server stores passwords as MD5 hashes
# description: >-
#   With password_encryption other than scram-sha-256, new and changed passwords
#   are stored as MD5 hashes salted only with the role name, which can be cracked
#   offline and, once stolen, replayed to log in without the password.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-SRV-003
#   severity: medium
#   resource_types: [postgresql_server]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(d)"]
#     pci_dss: ["8.3.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17", "A.8.24"]
#   remediation: >-
#     Set password_encryption = 'scram-sha-256', reload, and reset every role's
#     password (ALTER ROLE ... PASSWORD) so no MD5 hash remains in pg_authid.
package checks.postgres.server.password_encryption

import data.lib.inventory
import data.lib.postgres
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Enum settings compare case-insensitively (SCRAM-SHA-256 is scram-sha-256).
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "settings.password_encryption") == "known"
	postgres.setting_enum(r.attributes.settings.password_encryption) != "scram-sha-256"
	msg := sprintf("PostgreSQL server %q has password_encryption = %q, not scram-sha-256", [
		r.name,
		r.attributes.settings.password_encryption,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.password_encryption"]) if {
	some r in resources
	state := result.attribute_state(r, "settings.password_encryption")
	state != "known"
	msg := sprintf("PostgreSQL server %q: setting password_encryption is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.password_encryption"]) if {
	some r in resources
	result.attribute_state(r, "settings.password_encryption") == "known"
	not is_string(r.attributes.settings.password_encryption)
	msg := sprintf("PostgreSQL server %q: setting password_encryption = %s is not a value PostgreSQL accepts", [
		r.name,
		json.marshal(r.attributes.settings.password_encryption),
	])
}
