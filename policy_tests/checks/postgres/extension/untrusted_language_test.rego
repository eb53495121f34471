package checks.postgres.extension.untrusted_language_test

import data.checks.postgres.extension.untrusted_language as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-EXT-001",
	"title": "Untrusted procedural language installed",
	"description": "Functions in an untrusted language (plperlu, plpython3u, pltclu, ...) run with the operating system rights of the server process, so whoever can create or replace them reads data files, keys and other databases directly. The built-in c and internal languages are not reported.",
	"severity": "medium",
	"resource_types": ["postgresql_language"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"pci_dss": ["2.2.4"],
		"soc2": ["CC6.1", "CC6.8"],
		"iso27001": ["A.8.18", "A.8.9"],
	},
	"remediation": "DROP the language (DROP EXTENSION plpython3u) where no function needs it, or replace those functions with ones in a trusted language (plpgsql, plperl, plv8).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_language(name, attributes) := {
	"address": sprintf("postgresql://db.internal:5432/orders?language=%s", [name]),
	"type": "postgresql_language",
	"provider": "postgresql",
	"name": sprintf("orders.%s", [name]),
	"attributes": attributes,
}

_finding(address, status, message, paths) := expect.finding(_metadata, address, "postgresql_language", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_trusted_languages if {
	every name in ["plpgsql", "sql", "plperl", "plv8"] {
		r := _language(name, {"database": "orders", "name": name, "trusted": true})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_pass_builtin_untrusted if {
	langs := [
		_language("c", {"database": "orders", "name": "c", "trusted": false}),
		_language("internal", {"database": "orders", "name": "internal", "trusted": false}),
	]
	findings := check.findings with input as _inventory(langs)
	count(findings) == 0
}

test_fail_plpython3u if {
	r := _language("plpython3u", {"database": "orders", "name": "plpython3u", "trusted": false, "owner": "postgres"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/orders?language=plpython3u", "postgresql_language",
		"untrusted language \"plpython3u\" is installed (orders.plpython3u)",
	)}
}

test_fail_other_untrusted if {
	every name in ["plperlu", "pltclu", "plsh"] {
		r := _language(name, {"name": name, "trusted": false})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(
			sprintf("postgresql://db.internal:5432/orders?language=%s", [name]),
			"fail",
			sprintf("untrusted language %q is installed (orders.%s)", [name, name]),
			[],
		)}
	}
}

test_missing_trusted if {
	r := _language("plperlu", {"database": "orders", "name": "plperlu"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/orders?language=plperlu", "postgresql_language",
		"language \"orders.plperlu\": trusted is missing from the inventory", ["trusted"],
	)}
}

test_pass_missing_trusted_for_builtin if {
	r := _language("c", {"database": "orders", "name": "c"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_unknown_name if {
	r := object.union(_language("plperlu", {"trusted": false}), {"unknown": ["name"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/orders?language=plperlu", "indeterminate", "language \"orders.plperlu\": name is known only after apply", ["name"])}
}

test_pass_out_of_scope_types_ignored if {
	ext := {
		"address": "postgresql://db.internal:5432/orders?extension=plperlu",
		"type": "postgresql_extension",
		"provider": "postgresql",
		"name": "orders.plperlu",
		"attributes": {"name": "plperlu", "trusted": false},
	}
	findings := check.findings with input as _inventory([ext])
	count(findings) == 0
	resources := check.resources with input as _inventory([ext])
	count(resources) == 0
}
