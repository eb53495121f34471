package checks.postgres.server.password_encryption_test

import data.checks.postgres.server.password_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-SRV-003",
	"title": "PostgreSQL server stores passwords as MD5 hashes",
	"description": "With password_encryption other than scram-sha-256, new and changed passwords are stored as MD5 hashes salted only with the role name, which can be cracked offline and, once stolen, replayed to log in without the password.",
	"severity": "medium",
	"resource_types": ["postgresql_server"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(d)"],
		"pci_dss": ["8.3.2"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17", "A.8.24"],
	},
	"remediation": "Set password_encryption = 'scram-sha-256', reload, and reset every role's password (ALTER ROLE ... PASSWORD) so no MD5 hash remains in pg_authid.",
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

test_pass_scram if {
	r := _server({"server_version": "16.4", "settings": {"password_encryption": "scram-sha-256"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_md5 if {
	r := _server({"server_version": "16.4", "settings": {"password_encryption": "md5"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\" has password_encryption = \"md5\", not scram-sha-256",
	)}
}

# Before PostgreSQL 10 the setting was a boolean where on meant md5.
test_fail_legacy_on if {
	r := _server({"server_version": "9.6.24", "settings": {"password_encryption": "on"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has password_encryption = \"on\", not scram-sha-256", [])}
}

test_missing_password_encryption if {
	r := _server({"settings": {"ssl": "on"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\": setting password_encryption is missing from the inventory",
		["settings.password_encryption"],
	)}
}

test_unknown_password_encryption if {
	r := object.union(_server({"settings": {}}), {"unknown": ["settings.password_encryption"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting password_encryption is known only after apply", ["settings.password_encryption"])}
}

test_pass_out_of_scope_types_ignored if {
	hba := {
		"address": "postgresql://db.internal:5432/hba/1",
		"type": "postgresql_hba_rule",
		"provider": "postgresql",
		"name": "pg_hba.conf:1",
		"attributes": {"auth_method": "md5"},
	}
	findings := check.findings with input as _inventory([hba])
	count(findings) == 0
	resources := check.resources with input as _inventory([hba])
	count(resources) == 0
}

# PostgreSQL compares enum settings case-insensitively.
test_pass_scram_any_case if {
	every value in ["SCRAM-SHA-256", "Scram-Sha-256", " scram-sha-256 "] {
		r := _server({"settings": {"password_encryption": value}})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_fail_md5_upper_case_and_empty if {
	every value in ["MD5", ""] {
		r := _server({"settings": {"password_encryption": value}})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "fail", sprintf("PostgreSQL server \"db.internal:5432\" has password_encryption = %q, not scram-sha-256", [value]), [])}
	}
}

# A value that is not text says nothing about how passwords are stored.
test_indeterminate_null_value if {
	r := _server({"settings": {"password_encryption": null}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting password_encryption = null is not a value PostgreSQL accepts", ["settings.password_encryption"])}
}
