# METADATA
# title: Role or privilege change outside the change window
# description: >-
#   A GRANT, REVOKE or CREATE, ALTER or DROP ROLE ran outside the configured
#   change window (weekdays and UTC hours). Access changes made outside planned
#   windows are the ones least likely to have been reviewed, and a common trace
#   of an intruder or insider widening their own access.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-AUD-002
#   severity: medium
#   resource_types: [postgresql_audit_summary]
#   controls:
#     gdpr: ["Art.32(1)(b)", "Art.32(1)(d)"]
#     hipaa: ["164.308(a)(4)(ii)(C)", "164.308(a)(1)(ii)(D)"]
#     pci_dss: ["6.5.1", "10.2.1.5"]
#     soc2: ["CC8.1", "CC6.2"]
#     iso27001: ["A.8.32", "A.5.18"]
#   remediation: >-
#     Match each listed change to an approved change record; make role changes
#     only in the window (parameter postgres_audit_change_window) or widen the
#     window to the one the change process really uses.
package checks.postgres.audit.role_change_window

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_deciding := ["role_statements", "role_statements_total"]

_known(r, path) if result.attribute_state(r, path) == "known"

_window := params.value("postgres_audit_change_window")

_outside(s) if {
	ns := time.parse_rfc3339_ns(s.time)
	not time.weekday(ns) in _window.weekdays
}

_outside(s) if {
	ns := time.parse_rfc3339_ns(s.time)
	[hour, _, _] := time.clock(ns)
	hour < _window.start_hour
}

_outside(s) if {
	ns := time.parse_rfc3339_ns(s.time)
	[hour, _, _] := time.clock(ns)
	hour >= _window.end_hour
}

_unreadable(s) if not time.parse_rfc3339_ns(object.get(s, "time", ""))

_late(r) := [sprintf("%s %s", [object.get(s, "command", "?"), s.time]) |
	some s in r.attributes.role_statements
	_outside(s)
]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_known(r, "role_statements")
	late := _late(r)
	count(late) > 0
	msg := sprintf("%q: %d role change(s) outside the change window (first: %s)", [r.name, count(late), late[0]])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	paths := [p | some p in _deciding; not _known(r, p)]
	count(paths) > 0
	reasons := [sprintf("%s is %s", [p, result.state_text[result.attribute_state(r, p)]]) | some p in paths]
	msg := sprintf("%q: %s", [r.name, concat("; ", reasons)])
}

findings contains result.indeterminate(metadata, r, msg, ["role_statements"]) if {
	some r in resources
	every p in _deciding {
		_known(r, p)
	}
	count(_late(r)) == 0
	_incomplete(r)
	msg := sprintf("%q: %d role changes, %d listed with a readable time", [r.name, r.attributes.role_statements_total, count([s | some s in r.attributes.role_statements; not _unreadable(s)])])
}

_incomplete(r) if r.attributes.role_statements_total > count(r.attributes.role_statements)

_incomplete(r) if {
	some s in r.attributes.role_statements
	_unreadable(s)
}
