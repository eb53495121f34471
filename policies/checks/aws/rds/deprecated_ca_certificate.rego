# METADATA
# title: RDS instance using a deprecated CA certificate
# description: >-
#   Clients that verify the database's TLS certificate trust it through the
#   certificate authority named by ca_cert_identifier. A retired CA (rds-ca-2019
#   expired in August 2024) leaves clients either failing to connect or,
#   worse, configured to skip verification, which opens the connection to
#   interception.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-017
#   severity: medium
#   resource_types: [aws_db_instance]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["4.2.1", "4.2.1.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set ca_cert_identifier to a current CA (rds-ca-rsa2048-g1,
#     rds-ca-rsa4096-g1 or rds-ca-ecc384-g1), update the clients' trust store
#     with the matching bundle, and apply the change in a maintenance window
#     (the instance restarts).
package checks.aws.rds.deprecated_ca_certificate

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "ca_cert_identifier") == "known"
	ca := r.attributes.ca_cert_identifier
	_deprecated(ca)
	msg := sprintf("%s %q uses a deprecated CA certificate (ca_cert_identifier = %q)", [r.type, r.name, ca])
}

# Left unset, a plan shows the CA as known only after apply: RDS then picks
# the account's default CA, which an account-level override can change, so it
# cannot be told before apply.
findings contains result.indeterminate(metadata, r, msg, ["ca_cert_identifier"]) if {
	some r in resources
	state := result.attribute_state(r, "ca_cert_identifier")
	state != "known"
	msg := sprintf("%s %q: ca_cert_identifier is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["ca_cert_identifier"]) if {
	some r in resources
	result.attribute_state(r, "ca_cert_identifier") == "known"
	not _named(r.attributes.ca_cert_identifier)
	msg := sprintf("%s %q: ca_cert_identifier is not recorded (empty, null or not text)", [r.type, r.name])
}

_deprecated(ca) if {
	_named(ca)
	lower(trim_space(ca)) in {lower(d) | some d in params.value("rds_deprecated_ca_certificates")}
}

_named(ca) if {
	is_string(ca)
	trim_space(ca) != ""
}
