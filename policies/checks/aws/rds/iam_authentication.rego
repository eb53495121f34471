# METADATA
# title: RDS IAM database authentication disabled
# description: >-
#   With IAM database authentication, database logins use short-lived tokens
#   tied to IAM identities, so access is granted, reviewed and revoked centrally
#   instead of through long-lived database passwords.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-006
#   severity: low
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(d)"]
#     pci_dss: ["8.3.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.5.16"]
#   remediation: >-
#     Set iam_database_authentication_enabled = true and grant the rds_iam role
#     (PostgreSQL) or the AWSAuthenticationPlugin (MySQL/MariaDB) to users who
#     should log in with IAM tokens.
package checks.aws.rds.iam_authentication

import data.lib.inventory
import data.lib.result

# Engines that support IAM database authentication (the Aurora ones included).
supported_engine_prefixes := ["postgres", "mysql", "mariadb", "aurora"]

metadata := result.check_metadata(rego.metadata.chain())

# Databases on an engine without IAM authentication (Oracle, SQL Server, Db2)
# are out of scope; an unknown engine is kept in.
resources := {r | some r in inventory.of(metadata); not _unsupported_engine(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "iam_database_authentication_enabled") == "known"
	r.attributes.iam_database_authentication_enabled == false
	msg := sprintf("%s %q accepts only database passwords (iam_database_authentication_enabled = false)", [r.type, r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["iam_database_authentication_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "iam_database_authentication_enabled")
	state != "known"
	msg := sprintf("%s %q: iam_database_authentication_enabled is %s", [r.type, r.name, result.state_text[state]])
}

_unsupported_engine(r) if {
	result.attribute_state(r, "engine") == "known"
	not _supported(r.attributes.engine)
}

_supported(engine) if {
	some prefix in supported_engine_prefixes
	startswith(lower(engine), prefix)
}
