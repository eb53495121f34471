package checks.postgres.server.pgaudit_test

import data.checks.postgres.server.pgaudit as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-SRV-006",
	"title": "PostgreSQL server does not audit sessions with pgaudit",
	"description": "The server log alone does not record reliably who read or changed which object; pgaudit must be loaded through shared_preload_libraries and pgaudit.log must name the statement classes to audit.",
	"severity": "medium",
	"resource_types": ["postgresql_server"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1", "10.2.1.1", "10.2.1.2"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Add pgaudit to shared_preload_libraries (restart), run CREATE EXTENSION pgaudit, and set pgaudit.log to the classes to audit, for example 'ddl, role, write' (add 'read' for tables holding regulated data).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_server(attributes) := {
	"address": "postgresql://db.internal:5432",
	"type": "postgresql_server",
	"provider": "postgresql",
	"name": "db.internal:5432",
	"attributes": attributes,
}

_finding(address, status, message, paths) := expect.finding(_metadata, address, "postgresql_server", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_address := "postgresql://db.internal:5432"

test_pass_loaded_and_logging if {
	r := _server({"settings": {"shared_preload_libraries": "pg_stat_statements,pgaudit", "pgaudit.log": "ddl, role, write"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_quoted_library_and_subtraction if {
	r := _server({"settings": {"shared_preload_libraries": "\"pgaudit\", auto_explain", "pgaudit.log": "all, -misc"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_fail_not_loaded if {
	r := _server({"settings": {"shared_preload_libraries": "pg_stat_statements"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\" does not load pgaudit (shared_preload_libraries = \"pg_stat_statements\")",
	)}
}

test_fail_empty_libraries if {
	r := _server({"settings": {"shared_preload_libraries": ""}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" does not load pgaudit (shared_preload_libraries = \"\")", [])}
}

test_fail_log_none_empty_or_only_subtractions if {
	every value in ["none", "", "-all", " none , -misc"] {
		r := _server({"settings": {"shared_preload_libraries": "pgaudit", "pgaudit.log": value}})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "fail", sprintf("PostgreSQL server \"db.internal:5432\" loads pgaudit but pgaudit.log = %q audits no statement class", [value]), [])}
	}
}

test_missing_libraries if {
	r := _server({"settings": {"pgaudit.log": "all"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\": setting shared_preload_libraries is missing from the inventory",
		["settings.shared_preload_libraries"],
	)}
}

test_missing_pgaudit_log if {
	r := _server({"settings": {"shared_preload_libraries": "pgaudit"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting pgaudit.log is missing from the inventory", ["settings.pgaudit.log"])}
}

test_missing_settings_object if {
	r := _server({"server_version": "16.4"})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting shared_preload_libraries is missing from the inventory", ["settings.shared_preload_libraries"])}
}

test_unknown_pgaudit_log if {
	r := object.union(_server({"settings": {"shared_preload_libraries": "pgaudit"}}), {"unknown": ["settings.pgaudit.log"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting pgaudit.log is known only after apply", ["settings.pgaudit.log"])}
}

test_unknown_libraries if {
	r := object.union(_server({"settings": {"pgaudit.log": "all"}}), {"unknown": ["settings.shared_preload_libraries"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting shared_preload_libraries is known only after apply", ["settings.shared_preload_libraries"])}
}

# Another unknown setting does not hide a collected pgaudit.log.
test_fail_other_setting_unknown if {
	r := object.union(
		_server({"settings": {"shared_preload_libraries": "pgaudit", "pgaudit.log": "none"}}),
		{"unknown": ["settings.ssl"]},
	)
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" loads pgaudit but pgaudit.log = \"none\" audits no statement class", [])}
}

test_pass_out_of_scope_types_ignored if {
	hba := {
		"address": "postgresql://db.internal:5432/hba/1",
		"type": "postgresql_hba_rule",
		"provider": "postgresql",
		"name": "pg_hba.conf:1",
		"attributes": {"auth_method": "scram-sha-256"},
	}
	findings := check.findings with input as _inventory([hba])
	count(findings) == 0
	resources := check.resources with input as _inventory([hba])
	count(resources) == 0
}

# Library names may be single- or double-quoted, padded and in any case.
test_pass_library_name_spellings if {
	every value in ["'pgaudit'", "\"pgaudit\"", " pgaudit ", "pg_stat_statements, 'pgaudit' ", "\" pgaudit \"", "PGAudit", "auto_explain,,pgaudit"] {
		r := _server({"settings": {"shared_preload_libraries": value, "pgaudit.log": "DDL, Role"}})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_fail_similar_library_names if {
	every value in ["pgaudit_extra", "'pg_audit'", "pgauditlog"] {
		r := _server({"settings": {"shared_preload_libraries": value}})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "fail", sprintf("PostgreSQL server \"db.internal:5432\" does not load pgaudit (shared_preload_libraries = %q)", [value]), [])}
	}
}

# Values that are not text decide nothing (and raise no error).
test_indeterminate_null_libraries if {
	r := _server({"settings": {"shared_preload_libraries": null, "pgaudit.log": "ddl"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting shared_preload_libraries = null is not a value PostgreSQL accepts", ["settings.shared_preload_libraries"])}
}

test_indeterminate_null_pgaudit_log if {
	r := _server({"settings": {"shared_preload_libraries": "pgaudit", "pgaudit.log": null}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting pgaudit.log = null is not a value PostgreSQL accepts", ["settings.pgaudit.log"])}
}
