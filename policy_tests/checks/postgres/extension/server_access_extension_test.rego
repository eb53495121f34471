package checks.postgres.extension.server_access_extension_test

import data.checks.postgres.extension.server_access_extension as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-EXT-002",
	"title": "Extension with server file or network access installed",
	"description": "adminpack writes and removes files on the database server, file_fdw reads server files and program output, and dblink and postgres_fdw open connections from the server to any host; each is a path for data to leave the database unseen.",
	"severity": "low",
	"resource_types": ["postgresql_extension"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"pci_dss": ["2.2.4"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.18", "A.8.9"],
	},
	"remediation": "DROP EXTENSION where nothing uses it; otherwise restrict EXECUTE on its functions (and USAGE on file_fdw and postgres_fdw foreign servers) to the roles that need them and record why it is installed.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_extension(name, attributes) := {
	"address": sprintf("postgresql://db.internal:5432/orders?extension=%s", [name]),
	"type": "postgresql_extension",
	"provider": "postgresql",
	"name": sprintf("orders.%s", [name]),
	"attributes": attributes,
}

_finding(address, status, message, paths) := expect.finding(_metadata, address, "postgresql_extension", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_ordinary_extensions if {
	every name in ["pgcrypto", "pg_stat_statements", "pgaudit", "postgres_fdw_plus", "tds_fdw"] {
		r := _extension(name, {"database": "orders", "name": name, "version": "1.0"})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_fail_dblink if {
	r := _extension("dblink", {"database": "orders", "name": "dblink", "version": "1.2", "schema": "public"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/orders?extension=dblink", "postgresql_extension",
		"extension \"dblink\" is installed (orders.dblink): it connects from the server to other hosts",
	)}
}

test_fail_adminpack_and_file_fdw if {
	exts := [
		_extension("adminpack", {"name": "adminpack", "version": "2.1"}),
		_extension("file_fdw", {"name": "file_fdw", "version": "1.0"}),
	]
	findings := check.findings with input as _inventory(exts)
	findings == {
		_finding("postgresql://db.internal:5432/orders?extension=adminpack", "fail", "extension \"adminpack\" is installed (orders.adminpack): it writes and removes server files", []),
		_finding("postgresql://db.internal:5432/orders?extension=file_fdw", "fail", "extension \"file_fdw\" is installed (orders.file_fdw): it reads server files and program output", []),
	}
}

test_missing_name if {
	r := _extension("dblink", {"database": "orders", "version": "1.2"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/orders?extension=dblink", "postgresql_extension",
		"extension \"orders.dblink\": name is missing from the inventory", ["name"],
	)}
}

test_unknown_name if {
	r := object.union(_extension("dblink", {"version": "1.2"}), {"unknown": ["name"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/orders?extension=dblink", "indeterminate", "extension \"orders.dblink\": name is known only after apply", ["name"])}
}

test_pass_out_of_scope_types_ignored if {
	lang := {
		"address": "postgresql://db.internal:5432/orders?language=dblink",
		"type": "postgresql_language",
		"provider": "postgresql",
		"name": "orders.dblink",
		"attributes": {"name": "dblink"},
	}
	findings := check.findings with input as _inventory([lang])
	count(findings) == 0
	resources := check.resources with input as _inventory([lang])
	count(resources) == 0
}

# postgres_fdw reaches other PostgreSQL servers over the network, like dblink.
test_fail_postgres_fdw if {
	r := _extension("postgres_fdw", {"database": "orders", "name": "postgres_fdw", "version": "1.1"})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/orders?extension=postgres_fdw", "fail", "extension \"postgres_fdw\" is installed (orders.postgres_fdw): it connects from the server to other PostgreSQL servers", [])}
}

# Names compare case-insensitively; the message shows the name as collected.
test_fail_names_any_case if {
	every name in ["DBLINK", "Dblink", " dblink "] {
		r := _extension("dblink", {"name": name})
		findings := check.findings with input as _inventory([r])
		findings == {_finding("postgresql://db.internal:5432/orders?extension=dblink", "fail", sprintf("extension %q is installed (orders.dblink): it connects from the server to other hosts", [name]), [])}
	}
}

# A name that is not text decides nothing.
test_indeterminate_null_name if {
	r := _extension("dblink", {"name": null})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/orders?extension=dblink", "indeterminate", "extension \"orders.dblink\": name is null", ["name"])}
}

test_indeterminate_empty_name if {
	r := _extension("dblink", {"name": " "})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/orders?extension=dblink", "indeterminate", "extension \"orders.dblink\": name is \" \"", ["name"])}
}
