package checks.postgres.audit.role_change_window_test

import data.checks.postgres.audit.role_change_window as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-AUD-002",
	"title": "Role or privilege change outside the change window",
	"description": "A GRANT, REVOKE or CREATE, ALTER or DROP ROLE ran outside the configured change window (weekdays and UTC hours). Access changes made outside planned windows are the ones least likely to have been reviewed, and a common trace of an intruder or insider widening their own access.",
	"severity": "medium",
	"resource_types": [
		"postgresql_audit_summary",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
			"Art.32(1)(d)",
		],
		"hipaa": [
			"164.308(a)(4)(ii)(C)",
			"164.308(a)(1)(ii)(D)",
		],
		"pci_dss": [
			"6.5.1",
			"10.2.1.5",
		],
		"soc2": [
			"CC8.1",
			"CC6.2",
		],
		"iso27001": [
			"A.8.32",
			"A.5.18",
		],
	},
	"remediation": "Match each listed change to an approved change record; make role changes only in the window (parameter postgres_audit_change_window) or widen the window to the one the change process really uses.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [],
	"resources": resources,
}

_resource(attributes) := {
	"address": "postgresql-audit://db1",
	"type": "postgresql_audit_summary",
	"provider": "postgresql",
	"name": "db1",
	"attributes": attributes,
}

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

# 2026-11-02 is a Monday, 2026-11-07 a Saturday.
_stmt(t) := {"time": t, "command": "ALTER ROLE", "roles": ["ana"]}

test_pass_inside if {
	r := _resource({"role_statements": [_stmt("2026-11-02T09:30:00Z"), _stmt("2026-11-06T17:59:59Z")], "role_statements_total": 2})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_weekend if {
	r := _resource({"role_statements": [_stmt("2026-11-02T09:30:00Z"), _stmt("2026-11-07T10:00:00Z")], "role_statements_total": 2})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, "\"db1\": 1 role change(s) outside the change window (first: ALTER ROLE 2026-11-07T10:00:00Z)")}
}

test_fail_night if {
	r := _resource({"role_statements": [_stmt("2026-11-03T18:00:00Z"), _stmt("2026-11-04T07:59:00Z")], "role_statements_total": 2})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, "\"db1\": 2 role change(s) outside the change window (first: ALTER ROLE 2026-11-03T18:00:00Z)")}
}

test_parameter_widens_window if {
	r := _resource({"role_statements": [_stmt("2026-11-07T22:00:00Z")], "role_statements_total": 1})
	window := {"weekdays": ["Saturday"], "start_hour": 0, "end_hour": 24}
	count(_findings(r, {"postgres_audit_change_window": window})) == 0
}

test_indeterminate_truncated if {
	r := _resource({"role_statements": [_stmt("2026-11-02T09:30:00Z")], "role_statements_total": 600})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": 600 role changes, 1 listed with a readable time", ["role_statements"])}
}

test_indeterminate_bad_time if {
	r := _resource({"role_statements": [_stmt("yesterday")], "role_statements_total": 1})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": 1 role changes, 0 listed with a readable time", ["role_statements"])}
}

test_missing if {
	r := _resource({"role_statements_total": 1})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": role_statements is missing from the inventory", ["role_statements"])}
}
