# METADATA
# title: Untrusted procedural language installed
# description: >-
#   Functions in an untrusted language (plperlu, plpython3u, pltclu, ...) run
#   with the operating system rights of the server process, so whoever can
#   create or replace them reads data files, keys and other databases directly.
#   The built-in c and internal languages are not reported.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-EXT-001
#   severity: medium
#   resource_types: [postgresql_language]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     pci_dss: ["2.2.4"]
#     soc2: ["CC6.1", "CC6.8"]
#     iso27001: ["A.8.18", "A.8.9"]
#   remediation: >-
#     DROP the language (DROP EXTENSION plpython3u) where no function needs it,
#     or replace those functions with ones in a trusted language (plpgsql,
#     plperl, plv8).
package checks.postgres.extension.untrusted_language

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Untrusted by design and present in every database: C functions need a
# superuser to create and internal ones are part of the server.
_builtin := {"c", "internal"}

_deciding := ["name", "trusted"]

_known(r, path) if result.attribute_state(r, path) == "known"

_cleared(r) if {
	_known(r, "trusted")
	r.attributes.trusted == true
}

_cleared(r) if {
	_known(r, "name")
	lower(r.attributes.name) in _builtin
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	every p in _deciding {
		_known(r, p)
	}
	not _cleared(r)
	msg := sprintf("untrusted language %q is installed (%s)", [r.attributes.name, r.name])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	not _cleared(r)
	paths := [p | some p in _deciding; not _known(r, p)]
	count(paths) > 0
	reasons := [sprintf("%s is %s", [p, result.state_text[result.attribute_state(r, p)]]) | some p in paths]
	msg := sprintf("language %q: %s", [r.name, concat("; ", reasons)])
}
