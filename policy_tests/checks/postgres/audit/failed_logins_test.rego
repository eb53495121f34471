package checks.postgres.audit.failed_logins_test

import data.checks.postgres.audit.failed_logins as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-AUD-003",
	"title": "Repeated failed logins from one user and client",
	"description": "More failed logins (SQLSTATE 28P01 wrong password, 28000 rejected by pg_hba.conf) for one user from one client address in the period than the threshold allows: password guessing, or a service holding a stale secret that will lock someone out.",
	"severity": "medium",
	"resource_types": [
		"postgresql_audit_summary",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.308(a)(5)(ii)(C)",
			"164.312(b)",
		],
		"pci_dss": [
			"10.2.1.4",
			"8.3.4",
		],
		"soc2": [
			"CC7.2",
			"CC6.1",
		],
		"iso27001": [
			"A.8.5",
			"A.8.16",
		],
	},
	"remediation": "Find the client and the user in the log; block the address or rotate the stale credential, and consider authentication that cannot be guessed (certificates, IAM or Kerberos) for that role.",
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

test_pass_below if {
	r := _resource({"failed_logins": [{"user": "ana", "client": "10.0.0.5", "sqlstate": "28P01", "count": 5}], "failed_logins_total": 5})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_above_summed_over_states if {
	r := _resource({
		"failed_logins": [
			{"user": "ana", "client": "10.0.0.5", "sqlstate": "28P01", "count": 4},
			{"user": "ana", "client": "10.0.0.5", "sqlstate": "28000", "count": 2},
			{"user": "bo", "client": "10.0.0.6", "sqlstate": "28P01", "count": 1},
		],
		"failed_logins_total": 7,
	})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, "\"db1\": failed logins above 5 in the period (user \"ana\" from \"10.0.0.5\": 6)")}
}

test_parameter_threshold if {
	r := _resource({"failed_logins": [{"user": "bo", "client": "10.0.0.6", "sqlstate": "28P01", "count": 2}], "failed_logins_total": 2})
	_findings(r, {"postgres_audit_failed_login_threshold": 1}) == {expect.fail(_metadata, r.address, r.type, "\"db1\": failed logins above 1 in the period (user \"bo\" from \"10.0.0.6\": 2)")}
}

test_indeterminate_truncated if {
	r := _resource({"failed_logins": [{"user": "bo", "client": "10.0.0.6", "sqlstate": "28P01", "count": 2}], "failed_logins_total": 900})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": 900 failed logins, 2 listed per user and client", ["failed_logins"])}
}

test_missing if {
	r := _resource({"failed_logins_total": 0})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": failed_logins is missing from the inventory", ["failed_logins"])}
}
