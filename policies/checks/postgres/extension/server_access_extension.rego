# METADATA
# title: Extension with server file or network access installed
# description: >-
#   adminpack writes and removes files on the database server, file_fdw reads
#   server files and program output, and dblink and postgres_fdw open
#   connections from the server to any host; each is a path for data to leave
#   the database unseen.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-EXT-002
#   severity: low
#   resource_types: [postgresql_extension]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     pci_dss: ["2.2.4"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.18", "A.8.9"]
#   remediation: >-
#     DROP EXTENSION where nothing uses it; otherwise restrict EXECUTE on its
#     functions (and USAGE on file_fdw and postgres_fdw foreign servers) to the
#     roles that need them and record why it is installed.
package checks.postgres.extension.server_access_extension

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Extension name (lower case) -> what it lets a database session do on or
# from the server.
_reach := {
	"adminpack": "writes and removes server files",
	"file_fdw": "reads server files and program output",
	"dblink": "connects from the server to other hosts",
	"postgres_fdw": "connects from the server to other PostgreSQL servers",
}

# A name the check can read: non-empty text.
_name_text(r) if {
	result.attribute_state(r, "name") == "known"
	is_string(r.attributes.name)
	trim_space(r.attributes.name) != ""
}

# Names compare case-insensitively and without surrounding spaces.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_name_text(r)
	reach := _reach[lower(trim_space(r.attributes.name))]
	msg := sprintf("extension %q is installed (%s): it %s", [
		r.attributes.name,
		r.name,
		reach,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["name"]) if {
	some r in resources
	state := result.attribute_state(r, "name")
	state != "known"
	msg := sprintf("extension %q: name is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["name"]) if {
	some r in resources
	result.attribute_state(r, "name") == "known"
	not _name_text(r)
	msg := sprintf("extension %q: name is %s", [r.name, json.marshal(r.attributes.name)])
}
