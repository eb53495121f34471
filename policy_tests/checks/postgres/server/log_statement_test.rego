package checks.postgres.server.log_statement_test

import data.checks.postgres.server.log_statement as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-SRV-005",
	"title": "PostgreSQL server does not log DDL statements",
	"description": "With log_statement = none, CREATE, ALTER, DROP, GRANT and ALTER ROLE leave no trace in the server log, so changes to schemas, privileges and credentials cannot be traced to who made them.",
	"severity": "medium",
	"resource_types": ["postgresql_server"],
	"controls": {
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1", "10.2.1.2", "10.2.1.5", "10.2.1.7"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Set log_statement = 'ddl' (or 'mod' to log data changes too) in postgresql.conf and reload the server configuration.",
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

test_pass_ddl_mod_all if {
	every value in ["ddl", "mod", "all"] {
		r := _server({"settings": {"log_statement": value}})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_fail_none if {
	r := _server({"settings": {"log_statement": "none"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\" has log_statement = \"none\": DDL statements are not logged",
	)}
}

test_missing_log_statement if {
	r := _server({"settings": {"ssl": "on"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\": setting log_statement is missing from the inventory",
		["settings.log_statement"],
	)}
}

test_unknown_log_statement if {
	r := object.union(_server({"settings": {}}), {"unknown": ["settings.log_statement"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting log_statement is known only after apply", ["settings.log_statement"])}
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

# PostgreSQL compares enum settings case-insensitively.
test_pass_levels_any_case if {
	every value in ["DDL", "Mod", " ALL "] {
		r := _server({"settings": {"log_statement": value}})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_fail_none_upper_case_and_empty if {
	every value in ["NONE", ""] {
		r := _server({"settings": {"log_statement": value}})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "fail", sprintf("PostgreSQL server \"db.internal:5432\" has log_statement = %q: DDL statements are not logged", [value]), [])}
	}
}

# A value that is not text says nothing about what the server logs.
test_indeterminate_null_value if {
	r := _server({"settings": {"log_statement": null}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting log_statement = null is not a value PostgreSQL accepts", ["settings.log_statement"])}
}
