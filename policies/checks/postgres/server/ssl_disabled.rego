# METADATA
# title: PostgreSQL server accepts connections without TLS
# description: >-
#   With ssl = off, credentials and query results cross the network in clear
#   text, readable by anyone on the path.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-SRV-001
#   severity: high
#   resource_types: [postgresql_server]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Set ssl = on with a certificate and key (ssl_cert_file, ssl_key_file), and
#     require TLS for remote clients with hostssl lines in pg_hba.conf.
package checks.postgres.server.ssl_disabled

import data.lib.inventory
import data.lib.postgres
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# ssl is a boolean: off, false, no, 0 in any case (or a unique prefix) disable
# TLS; a value PostgreSQL would not accept decides nothing.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "settings.ssl") == "known"
	postgres.setting_bool(r.attributes.settings.ssl) == false
	msg := sprintf("PostgreSQL server %q has ssl = %s", [r.name, r.attributes.settings.ssl])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.ssl"]) if {
	some r in resources
	state := result.attribute_state(r, "settings.ssl")
	state != "known"
	msg := sprintf("PostgreSQL server %q: setting ssl is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.ssl"]) if {
	some r in resources
	result.attribute_state(r, "settings.ssl") == "known"
	not postgres.is_setting_bool(r.attributes.settings.ssl)
	msg := sprintf("PostgreSQL server %q: setting ssl = %s is not a boolean PostgreSQL accepts", [
		r.name,
		json.marshal(r.attributes.settings.ssl),
	])
}
