package checks.postgres.server.connection_logging_test

import data.checks.postgres.server.connection_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-SRV-004",
	"title": "PostgreSQL server does not log connections and disconnections",
	"description": "Without log_connections and log_disconnections, the server log does not show who connected, from where, when, and for how long, so access to the data cannot be reconstructed after an incident.",
	"severity": "medium",
	"resource_types": ["postgresql_server"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1", "10.2.1.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Set log_connections = on and log_disconnections = on in postgresql.conf and reload the server configuration.",
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

test_pass_both_on if {
	r := _server({"settings": {"log_connections": "on", "log_disconnections": "on"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

# PostgreSQL 18 takes a list of connection aspects for log_connections.
test_pass_pg18_aspect_lists if {
	every value in ["all", "receipt,authentication,authorization", "authorization", "setup_durations, receipt"] {
		r := _server({"server_version": "18.1", "settings": {"log_connections": value, "log_disconnections": "on"}})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
	}
}

test_fail_pg18_only_setup_durations if {
	r := _server({"server_version": "18.1", "settings": {"log_connections": "setup_durations", "log_disconnections": "on"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has log_connections = \"setup_durations\"", [])}
}

test_fail_both_off if {
	r := _server({"settings": {"log_connections": "off", "log_disconnections": "off"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\" has log_connections = \"off\", log_disconnections = \"off\"",
	)}
}

test_fail_disconnections_off if {
	r := _server({"settings": {"log_connections": "on", "log_disconnections": "off"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has log_disconnections = \"off\"", [])}
}

# One setting known off is a failure even when the other was not collected.
test_fail_connections_off_disconnections_missing if {
	r := _server({"settings": {"log_connections": "off"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has log_connections = \"off\"", [])}
}

test_missing_disconnections if {
	r := _server({"settings": {"log_connections": "on"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\": setting log_disconnections is missing from the inventory",
		["settings.log_disconnections"],
	)}
}

test_missing_both_one_unknown if {
	r := object.union(_server({"settings": {}}), {"unknown": ["settings.log_connections"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(
		_address,
		"indeterminate",
		"PostgreSQL server \"db.internal:5432\": setting log_connections is known only after apply; setting log_disconnections is missing from the inventory",
		["settings.log_connections", "settings.log_disconnections"],
	)}
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

# PostgreSQL reads booleans in any case and by unique prefix.
test_pass_true_spellings if {
	every value in ["ON", "True", "yes", "1", "t", " on "] {
		r := _server({"settings": {"log_connections": value, "log_disconnections": value}})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_fail_false_spellings if {
	every value in ["OFF", "False", "no", "0", "f"] {
		r := _server({"settings": {"log_connections": "on", "log_disconnections": value}})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "fail", sprintf("PostgreSQL server \"db.internal:5432\" has log_disconnections = %q", [value]), [])}
	}
}

# PostgreSQL 18: an empty aspect list logs no connection; aspects in any case.
test_fail_pg18_empty_aspect_list if {
	r := _server({"server_version": "18.1", "settings": {"log_connections": "", "log_disconnections": "on"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has log_connections = \"\"", [])}
}

test_pass_pg18_aspects_any_case if {
	r := _server({"server_version": "18.1", "settings": {"log_connections": "Receipt, AUTHENTICATION", "log_disconnections": "on"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

# A value PostgreSQL would not accept neither passes nor fails.
test_indeterminate_unrecognised_values if {
	r := _server({"settings": {"log_connections": "sometimes", "log_disconnections": ""}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(
		_address,
		"indeterminate",
		"PostgreSQL server \"db.internal:5432\": setting log_connections = \"sometimes\" is not a value PostgreSQL accepts; setting log_disconnections = \"\" is not a value PostgreSQL accepts",
		["settings.log_connections", "settings.log_disconnections"],
	)}
}

test_indeterminate_null_and_aspect_for_disconnections if {
	r := _server({"settings": {"log_connections": null, "log_disconnections": "all"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(
		_address,
		"indeterminate",
		"PostgreSQL server \"db.internal:5432\": setting log_connections = null is not a value PostgreSQL accepts; setting log_disconnections = \"all\" is not a value PostgreSQL accepts",
		["settings.log_connections", "settings.log_disconnections"],
	)}
}
