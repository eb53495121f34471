# METADATA
# title: pg_hba.conf rule uses the password or md5 method
# description: >-
#   The password method sends the password in clear text; md5 relies on MD5
#   hashes that can be cracked offline and replayed. scram-sha-256 proves the
#   password without revealing it or a reusable hash.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-HBA-002
#   severity: medium
#   resource_types: [postgresql_hba_rule]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(d)"]
#     pci_dss: ["8.3.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.5.17"]
#   remediation: >-
#     Set password_encryption = 'scram-sha-256', reset the passwords of the roles
#     the line admits, then change the line's method to scram-sha-256 and reload.
package checks.postgres.hba.weak_password_method

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_weak_methods := {"password", "md5"}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "auth_method") == "known"
	r.attributes.auth_method in _weak_methods
	msg := sprintf("pg_hba.conf line %v (%s) uses %s authentication", [
		object.get(r.attributes, "line_number", "?"),
		object.get(r.attributes, "connection_type", "?"),
		r.attributes.auth_method,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["auth_method"]) if {
	some r in resources
	state := result.attribute_state(r, "auth_method")
	state != "known"
	msg := sprintf("pg_hba rule %q: auth_method is %s", [r.name, result.state_text[state]])
}
