# METADATA
# title: No audit records in the period although pgaudit is configured
# description: >-
#   The server is configured to audit with pgaudit, yet its logs hold no audit
#   record for the whole period: logging was switched off, the logs read are
#   not the server's, or they were removed. An empty audit trail is not
#   evidence that nothing happened.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-AUD-004
#   severity: high
#   resource_types: [postgresql_audit_summary]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Check pgaudit.log, shared_preload_libraries and log_destination on the
#     server, and that the summary read the server's own log directory for the
#     whole period; restore logging and record the gap.
package checks.postgres.audit.silent_audit

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_deciding := ["pgaudit_configured", "total_operations"]

_known(r, path) if result.attribute_state(r, path) == "known"

_cleared(r) if {
	_known(r, "total_operations")
	r.attributes.total_operations > 0
}

_cleared(r) if {
	_known(r, "pgaudit_configured")
	r.attributes.pgaudit_configured == false
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_known(r, "pgaudit_configured")
	_known(r, "total_operations")
	r.attributes.pgaudit_configured == true
	r.attributes.total_operations == 0
	msg := sprintf("%q: pgaudit is configured but the logs hold no audit record from %s to %s", [
		r.name,
		object.get(r.attributes, "period_start", "?"),
		object.get(r.attributes, "period_end", "?"),
	])
}

# pgaudit_configured null means the caller did not say: known as a value, but no answer.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	not _cleared(r)
	paths := [p | some p in _deciding; not _answered(r, p)]
	count(paths) > 0
	reasons := [_reason(r, p) | some p in paths]
	msg := sprintf("%q: %s", [r.name, concat("; ", reasons)])
}

_answered(r, p) if {
	_known(r, p)
	r.attributes[p] != null
}

_reason(r, p) := sprintf("%s is not known", [p]) if {
	_known(r, p)
} else := sprintf("%s is %s", [p, result.state_text[result.attribute_state(r, p)]])
