# METADATA
# title: pg_hba.conf rule lets clients in without a password (trust)
# description: >-
#   A pg_hba.conf line with the trust method admits any client that matches it
#   as any user it names, with no password or certificate.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-HBA-001
#   severity: critical
#   resource_types: [postgresql_hba_rule]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(d)", "164.312(a)(1)"]
#     pci_dss: ["8.3.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5"]
#   remediation: >-
#     Replace trust with scram-sha-256 (or cert for client certificates) and
#     reload the server configuration.
package checks.postgres.server.hba_trust

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "auth_method") == "known"
	r.attributes.auth_method == "trust"
	msg := sprintf("pg_hba.conf line %v (%s) uses trust authentication", [
		object.get(r.attributes, "line_number", "?"),
		object.get(r.attributes, "connection_type", "?"),
	])
}

findings contains result.indeterminate(metadata, r, msg, ["auth_method"]) if {
	some r in resources
	state := result.attribute_state(r, "auth_method")
	state != "known"
	msg := sprintf("pg_hba rule %q: auth_method is %s", [r.name, result.state_text[state]])
}
