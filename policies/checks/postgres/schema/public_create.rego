# METADATA
# title: Schema grants CREATE to PUBLIC
# description: >-
#   CREATE on a schema for PUBLIC lets every role, including ones that can only
#   read, create tables and functions there; through search_path such a function
#   can run with the privileges of whoever calls it (CVE-2018-1058).
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-PRIV-001
#   severity: medium
#   resource_types: [postgresql_schema]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.2"]
#     soc2: ["CC6.3"]
#     iso27001: ["A.8.3", "A.5.15"]
#   remediation: >-
#     REVOKE CREATE ON SCHEMA ... FROM PUBLIC and grant CREATE only to the roles
#     that own the schema's objects (the PostgreSQL 15 default for public).
package checks.postgres.schema.public_create

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_public_creates(r) if {
	some entry in r.attributes.acl
	upper(entry.grantee) == "PUBLIC"
	some privilege in entry.privileges
	upper(privilege) in {"CREATE", "ALL", "ALL PRIVILEGES"}
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "acl") == "known"
	_public_creates(r)
	msg := sprintf("schema %q grants CREATE to PUBLIC", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["acl"]) if {
	some r in resources
	state := result.attribute_state(r, "acl")
	state != "known"
	msg := sprintf("schema %q: acl is %s", [r.name, result.state_text[state]])
}
