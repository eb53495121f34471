package checks.postgres.server.ssl_disabled_test

import data.checks.postgres.server.ssl_disabled as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-SRV-001",
	"title": "PostgreSQL server accepts connections without TLS",
	"description": "With ssl = off, credentials and query results cross the network in clear text, readable by anyone on the path.",
	"severity": "high",
	"resource_types": ["postgresql_server"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Set ssl = on with a certificate and key (ssl_cert_file, ssl_key_file), and require TLS for remote clients with hostssl lines in pg_hba.conf.",
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

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_ssl_on if {
	r := _server({"server_version": "16.4", "settings": {"ssl": "on", "password_encryption": "scram-sha-256"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_ssl_off if {
	r := _server({"server_version": "16.4", "settings": {"ssl": "off", "log_connections": "on"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\" has ssl = off",
	)}
}

test_missing_ssl_setting if {
	r := _server({"server_version": "16.4", "settings": {"password_encryption": "scram-sha-256"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\": setting ssl is missing from the inventory", ["settings.ssl"],
	)}
}

test_missing_settings_object if {
	r := _server({"server_version": "16.4"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\": setting ssl is missing from the inventory", ["settings.ssl"],
	)}
}

test_unknown_ssl_setting if {
	r := object.union(_server({"server_version": "16.4", "settings": {}}), {"unknown": ["settings.ssl"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\": setting ssl is known only after apply", ["settings.ssl"],
	)}
}

# PostgreSQL reads a boolean in any case, by any unique prefix.
test_pass_true_spellings if {
	every value in ["on", "true", "1", "yes", "ON", "True", "Yes", " on ", "t", "y"] {
		r := _server({"settings": {"ssl": value}})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_fail_false_spellings if {
	every value in ["OFF", "Off", "false", "FALSE", "0", "no", "No", "f", "of"] {
		r := _server({"settings": {"ssl": value}})
		findings := check.findings with input as _inventory([r])
		findings == {expect.fail(
			_metadata, "postgresql://db.internal:5432", "postgresql_server",
			sprintf("PostgreSQL server \"db.internal:5432\" has ssl = %s", [value]),
		)}
	}
}

# A value PostgreSQL would not accept as a boolean says nothing about TLS.
test_indeterminate_unrecognised_values if {
	every value in ["", "o", "enabled", "2", null] {
		r := _server({"settings": {"ssl": value}})
		findings := check.findings with input as _inventory([r])
		findings == {expect.indeterminate(
			_metadata, "postgresql://db.internal:5432", "postgresql_server",
			sprintf("PostgreSQL server \"db.internal:5432\": setting ssl = %s is not a boolean PostgreSQL accepts", [json.marshal(value)]),
			["settings.ssl"],
		)}
	}
}

test_pass_out_of_scope_types_ignored if {
	hba := {
		"address": "postgresql://db.internal:5432/hba/1",
		"type": "postgresql_hba_rule",
		"provider": "postgresql",
		"name": "pg_hba.conf:1",
		"attributes": {"auth_method": "scram-sha-256", "settings": {"ssl": "off"}},
	}
	findings := check.findings with input as _inventory([hba])
	count(findings) == 0
	resources := check.resources with input as _inventory([hba])
	count(resources) == 0
}

# The whole settings map known only after apply: the message says so.
test_unknown_settings_parent_path if {
	r := object.union(_server({"server_version": "16.4"}), {"unknown": ["settings"]})
	findings := check.findings with input as _inventory([r])
	[f.message | some f in findings] == ["PostgreSQL server \"db.internal:5432\": setting ssl is known only after apply"]
	[f.status | some f in findings] == ["indeterminate"]
}
