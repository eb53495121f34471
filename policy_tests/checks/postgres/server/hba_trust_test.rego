package checks.postgres.server.hba_trust_test

import data.checks.postgres.server.hba_trust as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-HBA-001",
	"title": "pg_hba.conf rule lets clients in without a password (trust)",
	"description": "A pg_hba.conf line with the trust method admits any client that matches it as any user it names, with no password or certificate.",
	"severity": "critical",
	"resource_types": ["postgresql_hba_rule"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(d)", "164.312(a)(1)"],
		"pci_dss": ["8.3.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.5"],
	},
	"remediation": "Replace trust with scram-sha-256 (or cert for client certificates) and reload the server configuration.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_hba_rule(line, attributes) := {
	"address": sprintf("postgresql://db.internal:5432/hba/%d", [line]),
	"type": "postgresql_hba_rule",
	"provider": "postgresql",
	"name": sprintf("pg_hba.conf:%d", [line]),
	"attributes": attributes,
}

_host_line(method) := {
	"line_number": 2,
	"connection_type": "host",
	"databases": ["orders"],
	"user_names": ["app"],
	"address": "10.0.0.0",
	"netmask": "255.0.0.0",
	"auth_method": method,
	"options": null,
}

_fail(line, message) := expect.fail(_metadata, sprintf("postgresql://db.internal:5432/hba/%d", [line]), "postgresql_hba_rule", message)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_scram_sha_256 if {
	r := _hba_rule(2, _host_line("scram-sha-256"))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_md5 if {
	r := _hba_rule(2, _host_line("md5"))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	r in check.resources with input as _inventory([r])
}

test_pass_other_methods if {
	every method in ["peer", "cert", "reject", "ident", "gss", "ldap"] {
		r := _hba_rule(2, _host_line(method))
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
	}
}

test_fail_trust_on_host_line if {
	r := _hba_rule(2, _host_line("trust"))
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/hba/2", "postgresql_hba_rule",
		"pg_hba.conf line 2 (host) uses trust authentication",
	)}
}

test_fail_trust_on_local_line if {
	r := _hba_rule(1, {
		"line_number": 1,
		"connection_type": "local",
		"databases": ["all"],
		"user_names": ["postgres"],
		"address": null,
		"netmask": null,
		"auth_method": "trust",
		"options": null,
	})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/hba/1", "postgresql_hba_rule",
		"pg_hba.conf line 1 (local) uses trust authentication",
	)}
}

test_fail_trust_on_hostssl_line if {
	r := _hba_rule(7, object.union(_host_line("trust"), {"line_number": 7, "connection_type": "hostssl"}))
	findings := check.findings with input as _inventory([r])
	findings == {_fail(7, "pg_hba.conf line 7 (hostssl) uses trust authentication")}
}

test_fail_trust_without_line_number_or_connection_type if {
	r := _hba_rule(3, {"auth_method": "trust"})
	findings := check.findings with input as _inventory([r])
	findings == {_fail(3, "pg_hba.conf line ? (?) uses trust authentication")}
}

test_fail_only_trust_lines_reported if {
	lines := [
		_hba_rule(1, object.union(_host_line("peer"), {"line_number": 1, "connection_type": "local"})),
		_hba_rule(2, _host_line("trust")),
		_hba_rule(3, object.union(_host_line("scram-sha-256"), {"line_number": 3})),
	]
	findings := check.findings with input as _inventory(lines)
	findings == {_fail(2, "pg_hba.conf line 2 (host) uses trust authentication")}
	resources := check.resources with input as _inventory(lines)
	count(resources) == 3
}

test_missing_auth_method if {
	r := _hba_rule(2, object.remove(_host_line("trust"), ["auth_method"]))
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/hba/2", "postgresql_hba_rule",
		"pg_hba rule \"pg_hba.conf:2\": auth_method is missing from the inventory", ["auth_method"],
	)}
}

test_unknown_auth_method if {
	r := object.union(_hba_rule(2, object.remove(_host_line("trust"), ["auth_method"])), {"unknown": ["auth_method"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/hba/2", "postgresql_hba_rule",
		"pg_hba rule \"pg_hba.conf:2\": auth_method is known only after apply", ["auth_method"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	server := {
		"address": "postgresql://db.internal:5432",
		"type": "postgresql_server",
		"provider": "postgresql",
		"name": "db.internal:5432",
		"attributes": {"auth_method": "trust", "settings": {"ssl": "on"}},
	}
	findings := check.findings with input as _inventory([server])
	count(findings) == 0
	resources := check.resources with input as _inventory([server])
	count(resources) == 0
}
