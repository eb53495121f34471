package checks.postgres.audit.silent_audit_test

import data.checks.postgres.audit.silent_audit as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-AUD-004",
	"title": "No audit records in the period although pgaudit is configured",
	"description": "The server is configured to audit with pgaudit, yet its logs hold no audit record for the whole period: logging was switched off, the logs read are not the server's, or they were removed. An empty audit trail is not evidence that nothing happened.",
	"severity": "high",
	"resource_types": [
		"postgresql_audit_summary",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(b)",
		],
		"pci_dss": [
			"10.2.1",
		],
		"soc2": [
			"CC7.2",
		],
		"iso27001": [
			"A.8.15",
		],
	},
	"remediation": "Check pgaudit.log, shared_preload_libraries and log_destination on the server, and that the summary read the server's own log directory for the whole period; restore logging and record the gap.",
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

_period := {"period_start": "2026-11-01T00:00:00Z", "period_end": "2026-12-01T00:00:00Z"}

test_pass_records if {
	r := _resource(object.union(_period, {"pgaudit_configured": true, "total_operations": 12}))
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_not_configured if {
	r := _resource(object.union(_period, {"pgaudit_configured": false, "total_operations": 0}))
	count(_findings(r, {})) == 0
}

test_pass_records_configuration_unknown if {
	r := _resource(object.union(_period, {"pgaudit_configured": null, "total_operations": 3}))
	count(_findings(r, {})) == 0
}

test_fail_silent if {
	r := _resource(object.union(_period, {"pgaudit_configured": true, "total_operations": 0}))
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, "\"db1\": pgaudit is configured but the logs hold no audit record from 2026-11-01T00:00:00Z to 2026-12-01T00:00:00Z")}
}

test_indeterminate_configuration_null if {
	r := _resource(object.union(_period, {"pgaudit_configured": null, "total_operations": 0}))
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": pgaudit_configured is not known", ["pgaudit_configured"])}
}

test_missing if {
	r := _resource(_period)
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": pgaudit_configured is missing from the inventory; total_operations is missing from the inventory", ["pgaudit_configured", "total_operations"])}
}
